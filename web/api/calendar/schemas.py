from marshmallow import Schema, fields


class CalendarUrlSchema(Schema):
    url = fields.String(required=True, metadata={"description": "https://…/cal/<token>.ics — keep it secret"})
    webcal_url = fields.String(required=True, metadata={"description": "the same feed as webcal://, "
                                                                        "which phones open as a subscription"})
