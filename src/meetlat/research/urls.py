from django.urls import path

from meetlat.research.views import (
    assessments,
    auditor,
    findings,
    planning,
    reports,
    results,
    scenarios,
    studies,
)

app_name = "research"

urlpatterns = [
    path("", studies.home, name="home"),
    # research lead
    path("studies/", studies.study_list, name="study_list"),
    path("studies/new/", studies.study_create_view, name="study_create"),
    path("studies/<int:pk>/", studies.study_detail, name="study_detail"),
    path("studies/<int:pk>/waves/new/", studies.wave_create_view, name="wave_create"),
    path("studies/<int:pk>/scenarios/", scenarios.scenario_list, name="scenario_list"),
    path("studies/<int:pk>/scenarios/new/", scenarios.scenario_create_view, name="scenario_create"),
    path("scenarios/<int:pk>/accept/", scenarios.scenario_accept_view, name="scenario_accept"),
    path("waves/<int:pk>/plan/", planning.plan_view, name="plan"),
    path("waves/<int:pk>/plan.csv", planning.plan_csv, name="plan_csv"),
    path("waves/<int:pk>/results/", studies.wave_results, name="wave_results"),
    path("waves/<int:pk>/publish/", studies.wave_publish_view, name="wave_publish"),
    path("waves/<int:pk>/findings/<str:code>/", findings.wave_findings, name="wave_findings"),
    path(
        "waves/<int:pk>/assessment/<str:code>/",
        assessments.wave_assessment,
        name="wave_assessment",
    ),
    path(
        "waves/<int:pk>/reports/<str:code>.pdf",
        reports.wave_report,
        {"fmt": "pdf"},
        name="wave_report_pdf",
    ),
    path(
        "waves/<int:pk>/reports/<str:code>.xlsx",
        reports.wave_report,
        {"fmt": "xlsx"},
        name="wave_report_xlsx",
    ),
    path("waves/<int:pk>/benchmark.pdf", reports.wave_benchmark, name="wave_benchmark_pdf"),
    path("waves/<int:pk>/all-reports/", reports.wave_reports_job, name="wave_reports_job"),
    path("plan/<int:pk>/", planning.assignment_edit, name="assignment_edit"),
    # auditor
    path("assignments/", auditor.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/", auditor.observation_view, name="observation"),
    # municipality viewer
    path("results/", results.result_list, name="result_list"),
    path("results/<int:pk>/", results.result_detail, name="result_detail"),
    path(
        "results/self-assessment/",
        assessments.self_assessment_list,
        name="self_assessment_list",
    ),
    path(
        "results/<int:pk>/self-assessment/",
        assessments.self_assessment,
        name="self_assessment",
    ),
    path(
        "results/<int:pk>/report.pdf",
        reports.result_report,
        {"fmt": "pdf"},
        name="result_report_pdf",
    ),
    path(
        "results/<int:pk>/report.xlsx",
        reports.result_report,
        {"fmt": "xlsx"},
        name="result_report_xlsx",
    ),
    path(
        "studies/<int:pk>/propose-scenario/",
        scenarios.scenario_propose_view,
        name="scenario_propose",
    ),
]
