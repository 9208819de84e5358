import re

from marshmallow import Schema, ValidationError, fields, post_dump, validate

from banenpool.services.registry import vat_id_valid
from web.api.fields import AddressSchema, DecimalString, Integer, LocationSchema, Name, Whole, decimal_str, one_line


def _checked_vat_id(vat_id: str) -> None:
    """The check digits of an id of the right shape (the Regexp beside it names a wrong shape)."""
    if re.fullmatch(r"NL[0-9]{9}B[0-9]{2}", vat_id) and not vat_id_valid(vat_id):
        raise ValidationError("this VAT id's check digits are wrong: a typing error?")


class EmployerSchema(Schema):
    id = Integer(dump_only=True)
    name = Name(required=True, validate=one_line())
    kvk_number = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9]{8}\Z", error="a KvK number has exactly 8 digits"))
    vat_number = fields.String(allow_none=True, validate=[validate.Regexp(
        r"^NL[0-9]{9}B[0-9]{2}\Z", error="a Dutch VAT id looks like NL123456789B01"), _checked_vat_id])
    cao_code = fields.String(required=True)
    sector = fields.String(allow_none=True, validate=validate.Length(max=60))
    address = Whole(AddressSchema, allow_none=True)
    location = Whole(LocationSchema, allow_none=True)
    tariff_factor = DecimalString(places=4, validate=validate.Range(1, 5),
                                   metadata={"description": "markup on wage cost, e.g. \"1.85\""})
    invoice_email = fields.Email(allow_none=True, validate=validate.Length(max=254))

    @post_dump(pass_original=True)
    def nest(self, data, obj, **kwargs):
        if hasattr(obj, "street"):
            data["address"] = ({"street": obj.street, "postcode": obj.postcode, "city": obj.city}
                               if obj.postcode else None)
            data["location"] = {"lat": obj.lat, "lon": obj.lon} if obj.lat is not None else None
        if getattr(obj, "tariff_factor", None) is not None:
            data["tariff_factor"] = decimal_str(obj.tariff_factor)
        return data


class EmployerPatchSchema(EmployerSchema):
    """Every field optional: PATCH changes only what it names."""
