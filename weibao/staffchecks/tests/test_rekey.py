"""`manage.py rekey` moves the register's encrypted names and numbers and its index; a decision
that holds only an index gets the new one of the value it was made from."""

from __future__ import annotations

from datetime import date

from weibao.core import rekey
from weibao.kit import crypto
from weibao.staffchecks.matching import id_hash
from weibao.staffchecks.models import MatchDecision, OffenderRecord
from weibao.testing import id_for

OLD = "old-key-for-rekey-tests-0123456789"
NEW = "new-key-for-rekey-tests-9876543210"
NUMBER = id_for(date(1980, 5, 6), 31)


def test_records_and_decisions_are_rekeyed(settings, add_record, police, tmp_path) -> None:
    settings.FIELD_ENCRYPTION_KEY = OLD
    record = add_record("孙三", NUMBER, date(1980, 5, 6))
    decision = MatchDecision.objects.create(
        id_hash=id_hash(NUMBER), record=record, same_person=True, decided_by=police
    )
    settings.FIELD_ENCRYPTION_KEY = f"{NEW},{OLD}"
    settings.FIELD_CIPHER, settings.BLIND_INDEX = "sm4", "hmac-sm3"
    tallies = {t.model: t for t in rekey.rekey(checkpoint=tmp_path / "c.json")}
    assert tallies["staffchecks.OffenderRecord"].changed == 1
    assert tallies["staffchecks.MatchDecision"].changed == 1
    record.refresh_from_db()
    decision.refresh_from_db()
    assert record.id_hash == decision.id_hash == id_hash(NUMBER)
    assert record.name == "孙三" and record.name_encrypted.startswith("sm4:")
    assert OffenderRecord.objects.filter(id_hash=crypto.blind_index(NUMBER)).exists()
    assert not any(t.problems for t in rekey.verify())
