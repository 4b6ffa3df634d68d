"""`manage.py rekey`: every protected field moved to the current cipher, key and index, in
resumable batches, with a dry run and a verification pass; a rotated database still finds
every person by ID number."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from weibao.core import rekey
from weibao.core.models import Job
from weibao.kit import crypto
from weibao.people.models import Person
from weibao.testing import County, id_for

OLD = "old-key-for-rekey-tests-0123456789"
NEW = "new-key-for-rekey-tests-9876543210"


@pytest.fixture
def people(settings, county: County) -> list[tuple[Person, str]]:
    settings.FIELD_ENCRYPTION_KEY = OLD
    settings.FIELD_CIPHER, settings.BLIND_INDEX = "fernet", "hmac-sha256"
    made = []
    for seq in range(7):
        number = id_for(date(2014, 1, 1 + seq), 100 + seq)
        person = Person(name=f"学生{seq}", sex="M", birth_date=date(2014, 1, 1 + seq))
        person.registered_by = county.school_a
        person.set_id_number(number)
        person.save()
        made.append((person, number))
    return made


def _rotate(settings) -> None:
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    settings.FIELD_CIPHER, settings.BLIND_INDEX = "sm4", "hmac-sm3"


def _found(number: str) -> bool:
    return Person.objects.by_id_hash(crypto.blind_index(number)).exists()


def test_a_rotated_database_finds_every_person_after_rekey(settings, people, tmp_path) -> None:
    job = Job.objects.create(kind="k", title="t", secret=crypto.encrypt("Pw-123456789"))
    _rotate(settings)
    assert not any(_found(number) for _person, number in people)  # the index moved on
    tallies = {t.model: t for t in rekey.rekey(checkpoint=tmp_path / "c.json")}
    assert tallies["people.Person"].changed == len(people)
    assert tallies["core.Job"].changed == 1
    for person, number in people:
        assert _found(number)
        person.refresh_from_db()
        assert person.id_number_encrypted.startswith("sm4:") and person.id_number == number
    job.refresh_from_db()
    assert job.secret.startswith("sm4:") and crypto.decrypt(job.secret) == "Pw-123456789"
    assert not any(t.problems for t in rekey.verify())
    # The old key can go now: nothing needs it.
    settings.FIELD_ENCRYPTION_KEY = NEW
    assert not any(t.problems for t in rekey.verify())
    assert all(_found(number) for _person, number in people)


def test_a_dry_run_counts_and_changes_nothing(settings, people, tmp_path) -> None:
    before = list(Person.objects.values_list("id_number_encrypted", "id_number_hash"))
    _rotate(settings)
    tallies = {t.model: t for t in rekey.rekey(dry_run=True, checkpoint=tmp_path / "c.json")}
    assert tallies["people.Person"].changed == len(people)
    assert list(Person.objects.values_list("id_number_encrypted", "id_number_hash")) == before
    assert not (tmp_path / "c.json").exists()


def test_a_stopped_pass_goes_on_from_its_checkpoint(settings, people, tmp_path, monkeypatch):
    monkeypatch.setattr(rekey, "BATCH", 3)
    _rotate(settings)
    checkpoint = tmp_path / "c.json"

    def stop(tally: rekey.Tally) -> None:
        if tally.model == "people.Person":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rekey.rekey(checkpoint=checkpoint, progress=stop)
    assert checkpoint.exists()
    done = [p for p, _n in people if Person.objects.get(pk=p.pk).id_number_encrypted[:4] == "sm4:"]
    assert len(done) == 3  # the first batch, committed
    again = {t.model: t for t in rekey.rekey(checkpoint=checkpoint)}
    assert again["people.Person"].rows == len(people) - 3  # went on from the checkpoint
    assert all(_found(number) for _person, number in people)
    assert not checkpoint.exists()  # done and verified: nothing to go on from


def test_the_command_verifies_and_fails_on_a_broken_row(settings, people, tmp_path) -> None:
    _rotate(settings)
    out = StringIO()
    call_command("rekey", checkpoint=str(tmp_path / "c.json"), stdout=out)
    assert "verified" in out.getvalue()
    person, _number = people[0]
    Person.objects.filter(pk=person.pk).update(id_number_hash="0" * 64)
    with pytest.raises(CommandError, match="1 problems"):
        call_command("rekey", verify=True, stdout=StringIO(), stderr=StringIO())
    call_command("rekey", checkpoint=str(tmp_path / "c.json"), stdout=StringIO())
    assert _found(_number)
