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

app.synth()
ComplianceReport.of(app).write_files(app.outdir)
