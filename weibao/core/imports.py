"""The page every spreadsheet import uses: upload the filled-in template; a clean file is
imported at once, a file with bad rows writes nothing and shows every error, which can be
downloaded as a sheet to fix the file by. Each app gives its own form (for fields beside the
file, such as a term and a school), its service and its words; the flow is this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.accounts.http import AuthedRequest
from weibao.core.services import validate_upload
from weibao.kit import spreadsheets
from weibao.kit.pages import download

R = TypeVar("R", bound=spreadsheets.Report)

FILE_HELP = gettext_lazy(
    "The filled-in template: an Excel workbook (.xlsx or .xls) or a CSV file (.csv)."
)


class ImportForm(forms.Form):
    """The file of an import; an app's form with more fields subclasses it."""

    file = forms.FileField(label=gettext_lazy("Excel file"), help_text=FILE_HELP)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        spreadsheets.check_import_name(upload.name or "")
        try:
            validate_upload(upload, accept=spreadsheets.IMPORT_EXTENSIONS)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["file"]) from error
        return upload


def import_page(
    request: AuthedRequest,
    form: forms.Form,
    *,
    run: Callable[[dict[str, Any]], R],
    done: Callable[[R], str],
    template: str,
    errors_key: str,
) -> HttpResponse:
    """Run the import on a valid POST (`run(cleaned_data)` calls the app's service); a clean
    report says `done(report)`, a report with errors keeps them in the session under
    `errors_key` for `import_errors`. 400 when anything is wrong, so the browser keeps the page."""
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = run(form.cleaned_data)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if report.clean:
                request.session.pop(errors_key, None)
                messages.success(request, done(report))
            else:
                request.session[errors_key] = [
                    [error.row, error.column, error.message] for error in report.errors
                ]
    failed = bool(form.errors) or (report is not None and not report.clean)
    context = {"form": form, "report": report}
    return render(request, template, context, status=400 if failed else 200)


def import_errors(
    request: AuthedRequest, *, errors_key: str, filename: str, back: str
) -> HttpResponse:
    """The last failed import's errors as a sheet; back to the import page when there are none."""
    rows = request.session.get(errors_key)
    if not rows:
        messages.info(request, _("There are no import errors to download."))
        return redirect(back)
    errors = [spreadsheets.RowError(row, column, message) for row, column, message in rows]
    return download(spreadsheets.errors_bytes(errors), filename, spreadsheets.XLSX_CONTENT_TYPE)
