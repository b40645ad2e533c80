"""The visit editor: the open visit's pages, forms and dialogs."""
