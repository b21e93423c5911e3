"""Web pages of mystery research, one module per audience (thin views: a form, one service or
selector, a template)."""
