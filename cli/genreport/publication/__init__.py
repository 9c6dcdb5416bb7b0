"""Reading a published report (PDF or Word) back into its profile's workbook, and auditing it.

document.py holds the neutral model both readers produce (pdf.py with pdfplumber, render/docxread.py with
python-docx); read.py opens a file and recognises its profile; tables.py finds the spec's tables; importer.py
builds the workbook data and inputs.py the inputs the 情况说明 states; audit.py checks it, page by page, and
narrative.py compares the 情况说明 with what the template prints for the tables; folder.py checks a folder.
"""
