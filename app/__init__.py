"""CareRounds (医养巡诊): rounds, records and triage for family-doctor teams in nursing homes."""

__version__ = "0.1.0"
APP_NAME = "CareRounds"
