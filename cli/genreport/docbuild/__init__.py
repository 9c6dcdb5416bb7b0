"""Builders of the generated documentation (docs/模板变量.md, docs/校验规则.md, the author guide's variable lists).

They read every installed profile; no stage of the pipeline imports them (run: python tools/gen_docs.py).
"""
