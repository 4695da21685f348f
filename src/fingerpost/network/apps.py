from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "fingerpost.network"
    label = "network"
    verbose_name = "Partnership network"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from fingerpost.core import registry
        from fingerpost.organisations.models import Membership

        from . import demo, digest, panels, signals

        registry.add_nav_item(
            name="network",
            text="Network",
            url_name="network:home",
            order=35,
            permission="network.view",
        )
        registry.add_dashboard_panel(name="network", order=40, build=panels.your_network)
        registry.add_page_panel(
            slot="organisations.detail",
            name="network.offers",
            template="network/panels/organisation.html",
            order=10,
            context=panels.organisation_offers,
        )
        registry.add_timed_job(
            name="network_weekly_digest", run=digest.send_weekly_digests, order=90
        )
        registry.add_demo_step(name="network", run=demo.create_demo_data, order=60)
        post_save.connect(
            signals.membership_saved, sender=Membership, dispatch_uid="network.membership_saved"
        )
