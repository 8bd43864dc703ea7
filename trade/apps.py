from django.apps import AppConfig


class TradeConfig(AppConfig):
    """States, HS chapters, pillars, trade flows, tariff scenarios and the exposure engine."""

    name = "trade"
    verbose_name = "Trade"
    public_data_loaders = [
        "trade.public_data.load_reference",
        "trade.public_data.load_trade",
        "trade.public_data.load_scenarios",
    ]
