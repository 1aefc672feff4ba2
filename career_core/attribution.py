"""The attribution O*NET's CC BY 4.0 license requires wherever O*NET data is shown."""

from __future__ import annotations

ONET_ATTRIBUTION = (
    "This page includes information from the O*NET 29.3 Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. "
    "O*NET® is a trademark of USDOL/ETA."
)
ONET_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
