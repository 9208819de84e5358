"""Forms of the pool's registry pages: workers, their contracts and employers.

The forms only collect; the API's schemas (web.api.*.schemas) and the registry services judge,
so a page refuses exactly what the API refuses. `api_data` gives the API's shape (numbers as the
user typed them, a decimal comma read as a point); `API_FIELDS` says which form field shows an
error the schema names by its API path.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from web.views.forms import one_line, plain_text, plausible_day


def number(text: str | None) -> str | None:
    """A typed number for the API: blank is None, a decimal comma becomes a point."""
    text = (text or "").strip()
    return text.replace(",", ".") if text else None


def shown(value) -> str:
    """A stored number as an input shows it, exactly, in the page's locale (16,5 in Dutch)."""
    return "" if value is None else format_decimal(Decimal(str(value)).normalize(), "0.############")


def blank_to_none(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


class RegistryForm(FlaskForm):
    API_FIELDS: dict[str, str] = {}

    def show_errors(self, errors: dict, translate, prefix: str = "") -> None:
        """The schema's or service's field errors ({"location": {"lat": [...]}}) under the
        fields that show them; errors of no field of this form go to the form's own list."""
        for key, value in errors.items():
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                self.show_errors(value, translate, f"{path}.")
                continue
            messages = [translate(m) for m in (value if isinstance(value, list) else [value])]
            name = self.API_FIELDS.get(path, path)
            if name not in self._fields:           # skills.2: the skills field
                name = path.split(".")[0]
            if name in self._fields and name != "csrf_token":
                self[name].errors = list(self[name].errors) + messages
            else:
                self.form_errors += [f"{path}: {m}" if path else m for m in messages]


def location(lat: str | None, lon: str | None) -> dict | None:
    """Both blank: no location; otherwise what was typed, and the schema says what is missing."""
    lat, lon = number(lat), number(lon)
    if lat is None and lon is None:
        return None
    return {k: v for k, v in (("lat", lat), ("lon", lon)) if v is not None}


class WorkerForm(RegistryForm):
    name = StringField(_l("Name"), validators=[DataRequired(), plain_text(), one_line()])
    email = EmailField(_l("E-mail address"), validators=[Optional(), plain_text()])
    phone = StringField(_l("Phone"), validators=[Optional(), plain_text()])
    birth_date = DateField(_l("Birth date"), validators=[DataRequired(), plausible_day()])
    postcode = StringField(_l("Postcode"), validators=[Optional(), plain_text()])
    lat = StringField(_l("Home latitude"), description=_l("e.g. 52.2215 (the planner measures travel from here)"))
    lon = StringField(_l("Home longitude"), description=_l("e.g. 6.8937"))
    skills = StringField(_l("Skills (comma separated)"), validators=[plain_text()])
    min_hours_per_week = StringField(_l("Minimum hours per week"), default="0")
    target_hours_per_week = StringField(_l("Target hours per week"), default="0")
    max_hours_per_week = StringField(_l("Maximum hours per week"), default="40")
    max_travel_km = StringField(_l("Maximum travel (km)"))

    API_FIELDS = {"location": "lat", "location.lat": "lat", "location.lon": "lon"}
    HOURS = ("min_hours_per_week", "target_hours_per_week", "max_hours_per_week")

    def api_data(self) -> dict:
        data = {"name": self.name.data, "email": blank_to_none(self.email.data),
                "phone": blank_to_none(self.phone.data),
                "birth_date": self.birth_date.data.isoformat() if self.birth_date.data else None,
                "postcode": blank_to_none(self.postcode.data), "location": location(self.lat.data, self.lon.data),
                "skills": [s.strip() for s in (self.skills.data or "").split(",") if s.strip()],
                "max_travel_km": number(self.max_travel_km.data)}
        for key in self.HOURS:     # blank: the service's default (new) or unchanged (edit)
            if (value := number(self[key].data)) is not None:
                data[key] = value
        return data

    def fill(self, worker) -> None:
        for key in ("name", "email", "phone", "birth_date", "postcode"):
            self[key].data = getattr(worker, key)
        self.lat.data, self.lon.data = shown(worker.lat), shown(worker.lon)
        self.skills.data = ", ".join(worker.skills)
        for key in self.HOURS:
            self[key].data = shown(getattr(worker, key))
        self.max_travel_km.data = shown(worker.max_travel_km)


KINDS = [SelectChoice("on_call", _l("on call")), SelectChoice("min_max", _l("min-max")),
         SelectChoice("fixed", _l("fixed hours"))]


class ContractForm(RegistryForm):
    employer_id = SelectField(_l("With"))
    kind = SelectField(_l("Kind"), choices=KINDS)
    hours_per_week = StringField(_l("Hours per week"), validators=[DataRequired()])
    cao_code = SelectField(_l("CAO"))
    scale = StringField(_l("Scale"), description=_l("blank: the CAO's lowest scale"))
    hourly_wage = StringField(_l("Hourly wage"), description=_l("blank: the scale's wage"))
    start_date = DateField(_l("From"), validators=[DataRequired(), plausible_day()])
    end_date = DateField(_l("Through"), validators=[Optional(), plausible_day()])

    def api_data(self) -> dict:
        return {"employer_id": int(self.employer_id.data) if self.employer_id.data else None,
                "kind": self.kind.data, "hours_per_week": number(self.hours_per_week.data),
                "cao_code": self.cao_code.data, "scale": blank_to_none(self.scale.data),
                "hourly_wage": number(self.hourly_wage.data),
                "start_date": self.start_date.data.isoformat() if self.start_date.data else None,
                "end_date": self.end_date.data.isoformat() if self.end_date.data else None}


class EmployerForm(RegistryForm):
    name = StringField(_l("Name"), validators=[DataRequired(), plain_text(), one_line()])
    kvk_number = StringField(_l("Chamber of Commerce"), validators=[DataRequired()],
                             description=_l("8 digits"))
    vat_number = StringField(_l("VAT number"), description=_l("e.g. NL123456789B01; needed for invoices"))
    cao_code = SelectField(_l("CAO"))
    cao_valid_from = DateField(_l("New CAO from"), validators=[Optional(), plausible_day()],
                               description=_l("the first day of a changed CAO; empty: today. Hours before it keep "
                                              "the CAO they were worked under."))
    sector = StringField(_l("Sector"), validators=[plain_text(), one_line()])
    street = StringField(_l("Street and number"), validators=[plain_text(), one_line()])
    postcode = StringField(_l("Postcode"))
    city = StringField(_l("City"), validators=[plain_text(), one_line()])
    lat = StringField(_l("Site latitude"), description=_l("e.g. 52.2215 (travel is measured to here)"))
    lon = StringField(_l("Site longitude"), description=_l("e.g. 6.8937"))
    tariff_factor = StringField(_l("Tariff factor"), default=lambda: shown(Decimal("1.85")),   # 1,85 in Dutch
                                description=_l("the markup on the wage cost, e.g. 1.85"))
    invoice_email = EmailField(_l("Invoice e-mail"), validators=[Optional(), plain_text()])

    API_FIELDS = {"location": "lat", "location.lat": "lat", "location.lon": "lon", "address": "street",
                  "address.street": "street", "address.postcode": "postcode", "address.city": "city"}

    def api_data(self) -> dict:
        address = {k: blank_to_none(self[k].data) for k in ("street", "postcode", "city")}
        data = {"name": self.name.data, "kvk_number": (self.kvk_number.data or "").strip(),
                "vat_number": blank_to_none(self.vat_number.data), "cao_code": self.cao_code.data,
                "sector": blank_to_none(self.sector.data),
                "address": {k: v for k, v in address.items() if v} if any(address.values()) else None,
                "location": location(self.lat.data, self.lon.data),
                "invoice_email": blank_to_none(self.invoice_email.data)}
        if (factor := number(self.tariff_factor.data)) is not None:
            data["tariff_factor"] = factor
        if "cao_valid_from" in self._fields and self.cao_valid_from.data:   # a change form's
            data["cao_valid_from"] = self.cao_valid_from.data.isoformat()
        return data

    def fill(self, employer) -> None:
        for key in ("name", "kvk_number", "vat_number", "cao_code", "sector", "street", "postcode", "city",
                    "invoice_email"):
            self[key].data = getattr(employer, key)
        self.lat.data, self.lon.data = shown(employer.lat), shown(employer.lon)
        self.tariff_factor.data = shown(employer.tariff_factor)
