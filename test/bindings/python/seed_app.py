"""The seed app, built from Python through the cdk8s-kubearmor wheel (mirror of test/bindings/seed-app.ts).

Prints app.synth_yaml() to stdout; scripts/bindings.sh compares it byte for byte with the TypeScript output.
"""
import sys

import cdk8s_plus_27 as kplus
from cdk8s import App, Chart
from cdk8s_kubearmor import FileIntegrityPolicy, FileIntegrityPreset, PolicyTarget

app = App()
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
        )
    ],
)
mysql.pod_metadata.add_label("app", "mysql")
mysql.select(kplus.LabelSelector.of(labels={"app": "mysql"}))
FileIntegrityPolicy(
    chart,
    "fim",
    target=PolicyTarget.workload(mysql),
    presets=[FileIntegrityPreset.KUBEARMOR_FIM_TEMPLATE],
    severity=1,
    message="Detected and prevented compromise to File integrity",
    policy_name="harden-mysql-file-integrity-monitoring",
)
sys.stdout.write(app.synth_yaml())
