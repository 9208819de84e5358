"""Flask-WTF forms (each carries its CSRF token)."""
from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from marshmallow import ValidationError as MarshmallowError
from marshmallow import validate
from wtforms import (BooleanField, DateField, EmailField, FieldList, FloatField, Form, FormField,
                     IntegerField, PasswordField, SelectField, StringField, TimeField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from banenpool.calendar_nl import FIRST_DAY, LAST_DAY
from banenpool.services.capacity import MAX_PATTERN_LINES
from banenpool.text import NOT_TEXT
from web.api.fields import MAX_ID, SKILL_RE

WEEKDAYS = [SelectChoice(str(i), name) for i, name in enumerate(
    (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday")))]


def plausible_day():
    """A date field's range check (dates near year 1 or 9999 overflow the calendar
    arithmetic; see banenpool.calendar_nl)."""
    def check(form, field):
        if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
            raise ValidationError(_("Choose a date between %(first)s and %(last)s.",
                                    first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()))
    return check


def plain_text():
    """No control characters (tab aside) in a text field: the API refuses them too (no e-invoice
    may hold them, and PostgreSQL cannot store a NUL)."""
    def check(form, field):
        if field.data and NOT_TEXT.search(field.data):
            raise ValidationError(_("Remove the control characters from this text."))
    return check


def one_line():
    """No line breaks in a name or title: the API refuses them too."""
    def check(form, field):
        if field.data and ("\n" in field.data or "\r" in field.data):
            raise ValidationError(_("Keep this text on one line."))
    return check


REQUIRED = "This field is required."
LINE_KEY = re.compile(r"lines-(\d+)-")


def field_errors(form) -> list[str]:
    """A form's own errors as "Label: message", one per message (the CSRF token's left out)."""
    return [f"{form[name].label.text}: {m}" for name, messages in form.errors.items() if name != "csrf_token"
            for m in messages]


def wtforms_text(field, text: str) -> str:
    """One of WTForms' own messages in the page's language (WTForms' catalogue, not ours)."""
    return field.gettext(text)


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), plain_text()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


def _new_password() -> PasswordField:
    return PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8)],
                         description=_l("at least 8 characters"))


def _repeated() -> PasswordField:
    return PasswordField(_l("New password again"),
                         validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])


class SetPasswordForm(FlaskForm):
    password = _new_password()
    repeat = _repeated()


class ChangePasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    password = _new_password()
    repeat = _repeated()


class ContractEndForm(FlaskForm):
    end_date = DateField(_l("Last day"), validators=[Optional(), plausible_day()])


class LeftOnForm(FlaskForm):
    """The worker's last day in the pool; blank: they belong to it again."""
    left_on = DateField(_l("Left the pool on"), validators=[Optional(), plausible_day()])


def email_address():
    """The e-mail addresses the API accepts (marshmallow's check), in the page's words."""
    def check(form, field):
        try:
            validate.Email()(field.data or "")
        except MarshmallowError:
            raise ValidationError(_("Not a valid e-mail address.")) from None
    return check


class LoginInviteForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), plain_text(), email_address(),
                                                         Length(max=254)])


class EmptyForm(FlaskForm):
    """Buttons that only post (logout, publish): the CSRF token and nothing else."""


class AssignForm(FlaskForm):
    """One worker for a shift, from the shift's staffing page."""
    worker_id = IntegerField(validators=[DataRequired(), NumberRange(1, MAX_ID)])


class PlanForm(FlaskForm):
    start_date = DateField(_l("From"), validators=[DataRequired(), plausible_day()])
    end_date = DateField(_l("Through"), validators=[DataRequired(), plausible_day()])
    time_limit_seconds = FloatField(_l("Time limit (seconds)"), default=30,
                                    validators=[InputRequired(), NumberRange(1, 3600)])
    include_started = BooleanField(_l("Also plan shifts that have already begun"))


class MoveShiftForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired(), plausible_day()])
    start = TimeField(_l("Start"), validators=[InputRequired()])
    end = TimeField(_l("End"), validators=[InputRequired()])
    break_minutes = IntegerField(_l("Break (min)"), default=0, validators=[InputRequired(), NumberRange(0, 240)])


class SubForm(Form):
    """A form repeated inside a FlaskForm (a request's lines, the days of the week): WTForms' own
    messages in the page's language, as in the FlaskForm around it ("Geen geldige tijd")."""

    class Meta:
        def get_translations(self, form):
            return wtforms_translations


class PatternLineForm(SubForm):
    weekday = SelectField(_l("Day"), choices=[SelectChoice("", "—")] + WEEKDAYS, default="")
    start = TimeField(_l("Start"), validators=[Optional()])
    end = TimeField(_l("End"), validators=[Optional()])
    break_minutes = IntegerField(_l("Break (min)"), default=0, validators=[Optional(), NumberRange(0, 240)])
    headcount = IntegerField(_l("Workers"), default=1, validators=[Optional(), NumberRange(1, 500)])


class RequestForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(1, 200), plain_text(), one_line()])
    skills = StringField(_l("Skills (comma separated)"))
    scale = SelectField(_l("Wage scale"), choices=[], validate_choice=False)
    start_date = DateField(_l("From"), validators=[DataRequired(), plausible_day()])
    end_date = DateField(_l("Through"), validators=[DataRequired(), plausible_day()])
    lines = FieldList(FormField(PatternLineForm), min_entries=7, max_entries=MAX_PATTERN_LINES)

    def validate(self, extra_validators=None):
        """Besides the fields: a line's own errors named by its number ("#3 Break (min): …",
        not a dict per line), and more lines than the form holds refused (WTForms dropped
        them without a word)."""
        ok = super().validate(extra_validators)
        lines = self.lines
        readable = [f"#{n} {line[key].label.text}: {m}" for n, line in enumerate(lines, 1)
                    for key, messages in line.errors.items() for m in messages]
        lines.errors = readable + [e for e in lines.errors if isinstance(e, str)]
        posted = [int(m.group(1)) for key in request.form if (m := LINE_KEY.match(key))]
        if posted and max(posted) >= lines.max_entries:
            lines.errors.append(_("A request has at most %(n)s lines.", n=lines.max_entries))
            ok = False
        return ok

    def validate_lines(self, field):
        """A line with some of day, start and end but not all is refused, naming what it lacks
        (it used to be dropped without a word, and the request made without it)."""
        problems = []
        for n, line in enumerate(field, 1):
            parts = (line.weekday, line.start, line.end)
            if line.errors or all(p.data for p in parts) or not any(p.data for p in parts):
                continue
            missing = ", ".join(str(p.label.text) for p in parts if not p.data)
            problems.append(f"#{n} {missing}: {wtforms_text(field, REQUIRED)}")
        if problems:
            raise ValidationError("; ".join(problems))

    def validate_skills(self, field):
        """The skills the API accepts: lower-case words with digits and dashes ('rijbewijs-b')."""
        bad = [s for s in self.skill_list() if not SKILL_RE.match(s)]
        if bad:
            raise ValidationError(f"{', '.join(bad)}: "
                                  + _("skills are lower-case words with digits and dashes, e.g. heftruck or "
                                      "rijbewijs-b"))

    def pattern(self) -> list[dict]:
        out = []
        for line in self.lines:
            d = line.data
            if d["weekday"] and d["start"] and d["end"]:
                out.append({"weekday": int(d["weekday"]), "start": d["start"], "end": d["end"],
                            "break_minutes": d["break_minutes"] or 0, "headcount": d["headcount"] or 1})
        return out

    def line_numbers(self) -> list[int]:
        """The page's line number (1-based) of each entry of pattern(): empty lines are skipped, so
        an error about pattern entry i is about line line_numbers()[i]."""
        return [n for n, line in enumerate(self.lines, 1)
                if line.data["weekday"] and line.data["start"] and line.data["end"]]

    def skill_list(self) -> list[str]:
        return [s.strip().lower() for s in (self.skills.data or "").split(",") if s.strip()]


class DayForm(SubForm):
    available = BooleanField(_l("Available"))
    start = TimeField(_l("Start"), validators=[Optional()])
    end = TimeField(_l("End"), validators=[Optional()])


class AbsenceForm(FlaskForm):
    """Leave or another absence, in whole days (the API also takes times)."""
    first = DateField(_l("From"), validators=[DataRequired(), plausible_day()])
    last = DateField(_l("Through"), validators=[DataRequired(), plausible_day()])
    reason = SelectField(_l("Reason"), default="leave", choices=[
        SelectChoice("leave", _l("leave")), SelectChoice("sick", _l("sick")), SelectChoice("other", _l("other"))])

    def validate_last(self, field):
        if self.first.data and field.data and field.data < self.first.data:
            raise ValidationError(_l("must not be before the first day"))
        if self.first.data and field.data and (field.data - self.first.data).days > 366:
            raise ValidationError(_l("at most a year at a time"))


class AvailabilityForm(FlaskForm):
    days = FieldList(FormField(DayForm), min_entries=7, max_entries=7)

    def validate_days(self, field):
        """A day ticked as available needs its times (it used to be saved as not available without a
        word), and a bad time is named: the page shows no field errors, the view flashes these."""
        problems = []
        for name, day in zip((c.label for c in WEEKDAYS), field):
            if day.errors:
                # a nested form has no translations of its own: WTForms' messages through the page's
                problems += [f"{name} {day[key].label.text}: {wtforms_text(field, m)}"
                             for key, messages in day.errors.items() for m in messages]
            elif day.available.data:
                problems += [f"{name} {part.label.text}: {wtforms_text(field, REQUIRED)}"
                             for part in (day.start, day.end) if not part.data]
        if problems:
            raise ValidationError("; ".join(problems))

    def weekly(self) -> list[dict]:
        return [{"weekday": i, "start": d.data["start"], "end": d.data["end"]}
                for i, d in enumerate(self.days) if d.data["available"] and d.data["start"] and d.data["end"]]


class CaoCompareForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form: reading only

    a = SelectField("A")
    b = SelectField("B")
    on = DateField(_l("Valid on"), validators=[Optional(), plausible_day()])

