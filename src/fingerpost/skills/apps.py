from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "fingerpost.skills"
    label = "skills"
    verbose_name = "Skills check"

    def ready(self) -> None:
        from fingerpost.core import registry

        from . import demo, insights

        registry.add_home_panel(name="skills", template="skills/home/panel.html", order=16)
        registry.add_demo_step(name="skills", run=demo.create_demo_data, order=55)
        registry.add_insight(
            name="skills",
            title="Essential digital skills check",
            order=40,
            figures=insights.figures,
            by_organisation=False,
            note=(
                "Skills checks are anonymous and belong to no organisation: these are "
                "the figures for the whole partnership (or the area chosen)."
            ),
        )
