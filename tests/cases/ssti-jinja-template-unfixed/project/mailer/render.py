import jinja2


def subject_template(subject: str) -> jinja2.Template:
    """The subject line of a notification, as a template of the recipient."""
    return jinja2.Template("[Notice] " + subject + " for {{ recipient }}")
