"""Pure-Python domain rules: ID numbers, division codes, credit codes, phones, masking."""
