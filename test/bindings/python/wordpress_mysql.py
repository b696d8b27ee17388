"""examples/wordpress-mysql/main.ts from Python through the cdk8s-kubearmor wheel.

Writes the chart and the compliance report to the folder given as argv[1]; scripts/bindings.sh compares each file
byte for byte with examples/wordpress-mysql/dist (written by TypeScript through `cdk8s synth`).
"""
import sys

import cdk8s_plus_27 as kplus
from cdk8s import App, Chart
from cdk8s_kubearmor import ComplianceControl, ComplianceReport, FileIntegrityPreset, HardenedWorkload, PolicyLint


def scratch(scope, name, paths):
    """Writable scratch space, so the read-only root filesystem cdk8s-plus sets can stay."""
    return [
        kplus.VolumeMount(path=path, volume=kplus.Volume.from_empty_dir(scope, f"{name}-scratch-{i}", f"scratch-{i}"))
        for i, path in enumerate(paths)
    ]


app = App(outdir=sys.argv[1])
chart = Chart(app, "wordpress-mysql", namespace="wordpress-mysql")

mysql = kplus.Deployment(
    chart,
    "mysql",
    metadata={"name": "mysql"},
    select=False,
    containers=[
        kplus.ContainerProps(
            name="mysql",
            image="mysql:5.6",
            port_number=3306,
            security_context=kplus.ContainerSecurityContextProps(user=999, group=999),
            volume_mounts=scratch(chart, "mysql", ["/var/lib/mysql", "/var/run/mysqld", "/tmp"]),
        )
    ],
)
mysql.pod_metadata.add_label("app", "mysql")
mysql.select(kplus.LabelSelector.of(labels={"app": "mysql"}))
hardened_mysql = HardenedWorkload.harden(
    chart,
    "mysql-hardening",
    mysql,
    presets=[FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
    severity=1,
    message="Detected and prevented compromise to File integrity",
)
PolicyLint.acknowledge(
    hardened_mysql,
    "KA004",
    "KubeArmor FIM template kept as published: mysql:5.6 is not a merged-/usr image, /lib/ is a real directory",
)

HardenedWorkload(
    chart,
    "wordpress",
    metadata={"name": "wordpress"},
    containers=[
        kplus.ContainerProps(
            name="wordpress",
            image="wordpress:4.8-apache",
            port_number=80,
            security_context=kplus.ContainerSecurityContextProps(user=33, group=33),
            volume_mounts=scratch(
                chart, "wordpress", ["/var/www/html", "/var/run/apache2", "/var/lock/apache2", "/tmp"]
            ),
        )
    ],
    protect_trust_stores=True,
    block_package_managers=True,
    controls=[ComplianceControl.PCI_DSS_11_5_2, ComplianceControl.NIST_SI_7],
)

# Workloads without file-integrity policies, which the compliance report lists as gaps.
migrate = kplus.Job(
    chart,
    "db-migrate",
    metadata={"name": "db-migrate"},
    containers=[
        kplus.ContainerProps(
            name="migrate",
            image="mysql:5.6",
            command=["mysql", "--host=mysql", "--execute=SELECT 1"],
            security_context=kplus.ContainerSecurityContextProps(user=999, group=999),
        )
    ],
)
HardenedWorkload.opt_out(
    migrate,
    "one-shot schema migration that exits within minutes; its image is the mysql:5.6 image protected in the mysql pods",
)
kplus.Deployment(
    chart,
    "metrics-agent",
    metadata={"name": "metrics-agent", "namespace": "kube-system"},
    containers=[
        kplus.ContainerProps(
            name="agent",
            image="prom/node-exporter:v1.8.2",
            port_number=9100,
            security_context=kplus.ContainerSecurityContextProps(user=65534, group=65534),
        )
    ],
)

app.synth()
# A fixed date and build id keep the report byte-identical across runs (and to TypeScript's).
ComplianceReport.of(
    app, generated_at="2026-01-01T00:00:00Z", build_id="examples/wordpress-mysql (npx projen example)"
).write_files(app.outdir)
