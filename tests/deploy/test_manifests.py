"""The Kubernetes manifests in deploy/k8s validate offline and stay true to the code."""

import json
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from connector_devstack.schemas import service_spec
from connector_devstack.services import SERVICES
from kubernetes_validate.utils import latest_version

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
KEDA_SCHEMA = json.loads((Path(__file__).parent / "keda-scaledobject.schema.json").read_text())
# Replica tables (connections, the location card), a one-off hand-over and a rare erasure: lag
# on them is no reason to add replicas.
NOT_WORK = (
    "connection.changed",
    "inventory.locations.changed",
    "inventory.location.handed_over",  # a one-off hand-over of former settings (ADR 0360)
    "shopify.shop.redact_requested",
)
# The gateway, an HTTP edge, scales on CPU: what it consumes feeds its replica and its read
# models (the task list, ADR 0900; the Home dashboard, ADR 0910), whose lag has its own alert.
SCALED_ON_CPU = ("gateway",)
PARTITIONS = 3  # what the devstack and deploy create per topic; more replicas would idle


def documents() -> list[dict[str, Any]]:
    """Every resource the kustomization lists, in order."""
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    docs: list[dict[str, Any]] = []
    for name in kustomization["resources"]:
        docs += [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]
    return docs


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    """Resources of one kind by name."""
    return {d["metadata"]["name"]: d for d in documents() if d["kind"] == kind}


@pytest.mark.parametrize("doc", documents(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_every_manifest_validates_against_its_schema(doc: dict[str, Any]) -> None:
    if doc["kind"] == "ScaledObject":
        jsonschema.validate(doc, KEDA_SCHEMA)
    else:
        kubernetes_validate.validate(doc, latest_version(), strict=True)


def test_a_misspelt_field_is_refused_by_the_validation() -> None:
    scaled = dict(by_kind("ScaledObject")["order-relay"])
    scaled["spec"] = {**scaled["spec"], "maxReplicas": 3}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(scaled, KEDA_SCHEMA)
    deployment = by_kind("Deployment")["gateway"]
    broken = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, latest_version(), strict=True)


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
def test_each_service_scales_on_the_lag_of_exactly_the_work_it_consumes(service: str) -> None:
    definition = next(s for s in SERVICES if s.name == service)
    spec, settings = service_spec(definition.module)
    work = {
        (settings.group_id(r.event.TYPE), settings.topic(r.event.topic()))
        for r in spec.events.routes
        if r.event.TYPE not in NOT_WORK and service not in SCALED_ON_CPU
    }
    scaled = by_kind("ScaledObject").get(service)
    triggers = {
        (t["metadata"]["consumerGroup"], t["metadata"]["topic"])
        for t in (scaled["spec"]["triggers"] if scaled else [])
        if t["type"] == "kafka"
    }
    assert triggers == work
    if scaled:
        assert scaled["spec"]["scaleTargetRef"]["name"] in by_kind("Deployment")
        assert scaled["spec"]["maxReplicaCount"] <= PARTITIONS
    else:
        assert service in by_kind("HorizontalPodAutoscaler") or not work


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
def test_each_service_has_requests_and_a_disruption_budget(service: str) -> None:
    deployment = by_kind("Deployment")[service]
    for container in deployment["spec"]["template"]["spec"]["containers"]:
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    budget = by_kind("PodDisruptionBudget")[service]
    assert budget["spec"]["selector"]["matchLabels"] == {"app": service}


def test_only_the_gateway_is_reachable_from_outside() -> None:
    policies = by_kind("NetworkPolicy")
    internal = policies["connector-services-from-gateway-only"]["spec"]
    [selected] = internal["podSelector"]["matchExpressions"]
    services = {s.name for s in SERVICES} - {"gateway"}
    assert (selected["key"], selected["operator"], set(selected["values"])) == (
        "app", "In", services,
    )  # fmt: skip
    assert internal["policyTypes"] == ["Ingress"]
    sources = [rule["from"] for rule in internal["ingress"]]
    assert sources[0] == [{"podSelector": {"matchLabels": {"app": "gateway"}}}]
    assert [s["podSelector"] for s in sources[1]] == [
        {"matchLabels": {"app.kubernetes.io/name": "prometheus"}}
    ]  # /metrics only: the API refuses what the gateway did not sign anyway
    deployments = by_kind("Deployment")
    for name in services:
        assert deployments[name]["spec"]["template"]["metadata"]["labels"]["app"] == name
        assert by_kind("Service")[name]["spec"].get("type", "ClusterIP") == "ClusterIP"
    compose = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text())
    published = {n for n, s in compose["services"].items() if s.get("ports")}
    assert published & {s.name for s in SERVICES} == {"gateway"}


def test_production_manifests_enforce_login() -> None:
    config = by_kind("ConfigMap")["connector-config"]["data"]
    secrets = by_kind("Secret")["connector-secrets"]["stringData"]
    assert "GATEWAY_REQUIRE_LOGIN" not in config  # the default: true
    assert config.get("CONNECTOR_ENVIRONMENT", "production") == "production"
    assert secrets["CONNECTOR_IDENTITY_KEY"] == ""  # to fill in: no shared default
    compose = (ROOT / "deploy" / "docker-compose.yml").read_text()
    assert "GATEWAY_REQUIRE_LOGIN" not in compose
    assert "CONNECTOR_IDENTITY_KEY: ${CONNECTOR_IDENTITY_KEY:?" in compose
