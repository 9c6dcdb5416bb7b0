"""Reading a published report (PDF or Word) back into its profile's workbook, and auditing it.

document.py holds the neutral page model both readers produce (pdf.py with pdfplumber, render/docxread.py
with python-docx); tables.py finds the spec's tables in it; importer.py builds the workbook data; narrative.py
compares the 情况说明 with the text the template would print for the imported tables.
"""
