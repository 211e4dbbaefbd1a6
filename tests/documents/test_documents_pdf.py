"""A real PDF goes in: its text is read and normalised, the file kept byte-identical."""

from __future__ import annotations

from django.urls import reverse

from secretariat.documents.models import Paragraph


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with these lines of text (Helvetica)."""
    content = (
        "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    )
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_text_is_extracted_rejoined_and_numbered(add_document, client_for) -> None:
    data = make_pdf(
        [
            "1. We reaffirm our commitment to the purposes and princi-",
            "ples of the UN Charter.",
            "2. We decide to meet again in Astana.",
        ]
    )
    document = add_document(data, filename="decl.pdf")
    assert document.current_version.kind == "pdf"
    paragraphs = list(Paragraph.objects.filter(document=document).values_list("label", "text"))
    assert paragraphs == [
        ("1", "We reaffirm our commitment to the purposes and principles of the UN Charter."),
        ("2", "We decide to meet again in Astana."),
    ]
    response = client_for("ind").get(reverse("documents:download", args=[document.pk, 1]))
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
