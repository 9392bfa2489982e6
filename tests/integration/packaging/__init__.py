"""What is shipped and installed: the wheel, the menu entry, metainfo and icons."""
