"""Who may see and do what with the minors' criminal-case register.

- The procuratorate and the county coordinator read every case; nobody else reads any (they
  read the figures through the statistics app).
- The procuratorate's writers keep the register: enter, edit and import cases, record
  decisions, and send a minor suspect to the at-risk database or a minor victim to casework.
"""

from __future__ import annotations

import rules

from weibao.accounts.models import User
from weibao.accounts.policy import can_write, in_procuratorate
from weibao.crimes.models import Case, Suspect, Victim, sees_cases
from weibao.kit.access import in_scope

keeps_cases = can_write & in_procuratorate


@rules.predicate
def sees_case(user: User, case: object) -> bool:
    return isinstance(case, Case) and in_scope(user, case, Case.objects.for_user)


@rules.predicate
def keeps_case(user: User, case: object) -> bool:
    """A keeper of the register, for a case (saved or not)."""
    if not isinstance(case, Case) or not keeps_cases(user):
        return False
    return case.pk is None or bool(sees_case(user, case))


@rules.predicate
def keeps_suspect(user: User, suspect: object) -> bool:
    return isinstance(suspect, Suspect) and bool(keeps_case(user, suspect.case))


@rules.predicate
def keeps_victim(user: User, victim: object) -> bool:
    return isinstance(victim, Victim) and bool(keeps_case(user, victim.case))


rules.add_perm("crimes.view_cases", sees_cases)
rules.add_perm("crimes.view_case", sees_case)
rules.add_perm("crimes.keep_cases", keeps_cases)
rules.add_perm("crimes.keep_case", keeps_case)
rules.add_perm("crimes.keep_suspect", keeps_suspect)
rules.add_perm("crimes.keep_victim", keeps_victim)
