"""The trust's view: indicators and school-level figures, the group analysis, aims and the
delivery plan, the dashboard and the standards report. Each function opens one unit of work
and returns frozen domain records.

Only school-level figures are accepted: a value for a group of pupils with the number of
pupils in the group. A file that names or describes single pupils is refused.
"""

from __future__ import annotations

from nexus_review.usecases.trust.figures_file import (
    ImportSummary,
    IndicatorImportError,
    import_figures_csv,
    write_template,
)
from nexus_review.usecases.trust.indicators import (
    groups_at_risk,
    indicator_set,
    list_figures,
    set_figure,
    set_thresholds,
    shipped_indicators,
    thresholds,
)
from nexus_review.usecases.trust.plan import (
    ActionWording,
    add_aim,
    add_delivery_action,
    aim_of_themes,
    delivery_plan,
    edit_aim,
    edit_delivery_action,
    list_aims,
    map_theme,
    map_themes,
    priorities_by_aim,
    priority_themes,
    record_progress,
    theme_aims_now,
)
from nexus_review.usecases.trust.standing import (
    Dashboard,
    IndicatorStanding,
    SchoolFigures,
    SchoolStanding,
    dashboard,
    export_standards_report,
    school_figures,
    standards_data,
)

__all__ = [
    "ActionWording",
    "Dashboard",
    "ImportSummary",
    "IndicatorImportError",
    "IndicatorStanding",
    "SchoolFigures",
    "SchoolStanding",
    "add_aim",
    "add_delivery_action",
    "aim_of_themes",
    "dashboard",
    "delivery_plan",
    "edit_aim",
    "edit_delivery_action",
    "export_standards_report",
    "groups_at_risk",
    "import_figures_csv",
    "indicator_set",
    "list_aims",
    "list_figures",
    "map_theme",
    "map_themes",
    "priorities_by_aim",
    "priority_themes",
    "record_progress",
    "school_figures",
    "set_figure",
    "set_thresholds",
    "shipped_indicators",
    "standards_data",
    "theme_aims_now",
    "thresholds",
    "write_template",
]
