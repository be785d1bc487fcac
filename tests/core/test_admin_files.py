"""A stored file's admin link (core/admin_files.py) shows its name as text and its address
as an attribute value, escaped, whatever the name or address hold."""

from core.admin_files import stored_file_link


def test_a_hostile_file_name_and_address_are_escaped():
    class File:
        name = 'documents/<img src=x onerror="alert(1)">.pdf'

        def __bool__(self):
            return True

    link = stored_file_link(File(), '/download/?next="><script>alert(1)</script>')

    assert "<img" not in link
    assert "<script>" not in link
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;.pdf" in link
    assert 'href="/download/?next=&quot;&gt;&lt;script&gt;' in link


def test_no_file_no_link():
    class Empty:
        name = ""

        def __bool__(self):
            return False

    assert stored_file_link(Empty(), "/download/") == ""
