"""Reading a partnership's own documents: text extraction (PDF, Word, web pages, plain text),
their heading structure, quote verification, the document-consistency checks run straight on
the text (``thscp-kg scan``) and the proposed data file (``thscp-kg draft``).

Parsers (pypdf, python-docx, BeautifulSoup) are imported inside the functions that need them,
so importing this package costs nothing at CLI start-up.
"""
