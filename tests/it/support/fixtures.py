"""Create and inspect ECS resources in a moto server, the way an operator's tooling would.

Run by the Rust tests (tests/support/moto.rs) as
    python fixtures.py --endpoint URL SUBCOMMAND [ARGS]
and always prints one JSON document on stdout.

Subcommands:
  fleet --cluster NAME --services N --tasks-per-service K [--task-family F]
      A task definition (app + sidecar), a cluster, N Fargate services and K tasks per
      service (moto's services never start tasks, so they are seeded with run_task and the
      service's group). Prints {clusterArn, taskDefinitionArn, services, tasks: {svc: [arn]}}.
  describe-service --cluster C --service S
      Prints {desiredCount, runningCount, taskDefinition, status}.
  describe-cluster --cluster C
      Prints the cluster as boto3 sees it (with settings).
  stop-task --cluster C --task ARN [--reason R]
      Prints {taskArn, lastStatus, desiredStatus, stoppedReason}.
  describe-task --cluster C --task ARN
      Prints {taskArn, lastStatus, desiredStatus, stoppedReason}.
  register-revision --family F [--image I] [--env K=V ...] [--cpu N --memory N]
      Registers the next revision of an existing family: a copy of its latest revision with
      the app container's image, environment (K=V adds or changes) or the task size changed.
      Prints {taskDefinitionArn, revision}.
  register-scalable-target --cluster C --service S --min N --max N
      Application Auto Scaling target on the service's desired count.
      Prints {resourceId, minCapacity, maxCapacity}.
  scaling-policies --cluster C --service S
      On a registered target: a target-tracking policy (ECSServiceAverageCPUUtilization at
      60, cooldowns 60 / 300), a step scaling policy (ChangeInCapacity, steps [0,500) +1 and
      [500,) +3, cooldown 120) and a scheduled action (cron(0 7 ? * MON-FRI *), min 4 max 12).
      Prints {policies, scheduledActions} (their names).
  describe-scalable-target --cluster C --service S
      Prints {minCapacity, maxCapacity, suspendedState} as boto3 reads them (null: no target).
  put-metric --namespace NS --metric M --dim K=V [--dim ...] --value X [--value ...]
             [--minutes-ago N]
      PutMetricData: the i-th value at minute (now - N + i), on whole minutes (N defaults to
      the number of values). Prints {count, timestamps}.
  put-alarm --name N --namespace NS --metric M --dim K=V [--dim ...] --threshold T
      PutMetricAlarm (Average over 60 s, 1 period, GreaterThanThreshold). Prints {name}.
  set-alarm-state --name N --state OK|ALARM|INSUFFICIENT_DATA --reason R
      SetAlarmState. Prints {name, state}.
  ec2-hosts --cluster C --count N [--tasks K]
      A cluster of N EC2 instances (run_instances) registered as container instances (with
      the instance identity document moto reads), and K bridge tasks run with launchType EC2
      (placed on the hosts). Prints {clusterArn, instances: [{containerInstanceArn,
      ec2InstanceId}], tasks: [{taskArn, containerInstanceArn}]}.
  describe-instances --cluster C
      Prints [{containerInstanceArn, ec2InstanceId, status}] as boto3 sees them.
  capacity --cluster C --provider P [--min N --desired N --max N]
      An EC2 Auto Scaling group (launch configuration, m5.large), a capacity provider on it
      with managed scaling (target 90 %, steps 1..10) and termination protection off, and a
      cluster using it with FARGATE and FARGATE_SPOT, default strategy P base 1 weight 2 and
      FARGATE_SPOT weight 1. Prints {clusterArn, groupName, groupArn, providerArn}.
  put-logs --group G --stream S --message M [--message M ...] [--ago-ms N]
      Creates the log group and stream if missing and writes the messages with PutLogEvents,
      1 ms apart, the first one N ms ago (default 0: now). Prints {count, firstTimestamp}.
"""

import argparse
import datetime
import hashlib
import json

import boto3

REGION = "us-east-1"


def client(endpoint, service):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def network(endpoint):
    """A VPC + subnet for awsvpc tasks (moto's RunTask needs EnableDnsHostnames on)."""
    ec2 = client(endpoint, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(
        GroupName=f"ecsdeck-{vpc}", Description="ecsdeck tests", VpcId=vpc
    )["GroupId"]
    return {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group]}}


def register_task_definition(ecs, family, image="public.ecr.aws/nginx/nginx:1.25"):
    return ecs.register_task_definition(
        family=family,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": "app",
                "image": image,
                "cpu": 128,
                "memory": 256,
                "essential": True,
                "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                "environment": [
                    {"name": "MODE", "value": "production"},
                    {"name": "LOG_LEVEL", "value": "info"},
                ],
                "secrets": [
                    {
                        "name": "DB_PASSWORD",
                        "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db-password",
                    }
                ],
                "command": ["serve", "--port", "8080"],
                "entryPoint": ["/docker-entrypoint.sh"],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": f"/ecs/{family}",
                        "awslogs-region": REGION,
                        "awslogs-stream-prefix": "app",
                    },
                },
            },
            {
                "name": "sidecar",
                "image": "public.ecr.aws/aws-observability/aws-otel-collector:latest",
                "cpu": 64,
                "memory": 128,
                "essential": False,
            },
        ],
    )["taskDefinition"]["taskDefinitionArn"]


def fleet(args):
    ecs = client(args.endpoint, "ecs")
    family = args.task_family or f"{args.cluster}-app"
    if args.image:
        task_definition = register_task_definition(ecs, family, args.image)
    else:
        task_definition = register_task_definition(ecs, family)
    cluster_arn = ecs.create_cluster(clusterName=args.cluster)["cluster"]["clusterArn"]
    net = network(args.endpoint) if args.tasks_per_service > 0 or args.services > 0 else None
    services, tasks = [], {}
    for i in range(args.services):
        name = f"svc-{i:03d}"
        ecs.create_service(
            cluster=args.cluster,
            serviceName=name,
            taskDefinition=task_definition,
            desiredCount=args.tasks_per_service,
            launchType="FARGATE",
            networkConfiguration=net,
        )
        services.append(name)
        tasks[name] = []
        if args.tasks_per_service:
            started = ecs.run_task(
                cluster=args.cluster,
                taskDefinition=task_definition,
                count=args.tasks_per_service,
                launchType="FARGATE",
                networkConfiguration=net,
                group=f"service:{name}",
                startedBy=f"ecs-svc/{name}",
            )["tasks"]
            tasks[name] = [t["taskArn"] for t in started]
    return {
        "clusterArn": cluster_arn,
        "taskDefinitionArn": task_definition,
        "services": services,
        "tasks": tasks,
    }


def ecr_push(args):
    """Pushes an image (a manifest naming one layer made of --build) under --tag, creating
    the repository if needed: pushing again under the same tag moves it, as `docker push`
    does. Returns the repository's registry id and the image's digest."""
    ecr = client(args.endpoint, "ecr")
    try:
        ecr.create_repository(repositoryName=args.repository)
    except ecr.exceptions.RepositoryAlreadyExistsException:
        pass
    layer = hashlib.sha256(args.build.encode()).hexdigest()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": 1000,
                "digest": f"sha256:{layer}",
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    "size": 50000000,
                    "digest": f"sha256:{layer}",
                }
            ],
        }
    )
    image = ecr.put_image(repositoryName=args.repository, imageManifest=manifest, imageTag=args.tag)
    return {
        "registryId": image["image"]["registryId"],
        "digest": image["image"]["imageId"]["imageDigest"],
    }


def describe_service(args):
    ecs = client(args.endpoint, "ecs")
    service = ecs.describe_services(cluster=args.cluster, services=[args.service])["services"][0]
    return {
        key: service.get(key)
        for key in ("desiredCount", "runningCount", "taskDefinition", "status")
    }


def describe_cluster(args):
    ecs = client(args.endpoint, "ecs")
    return ecs.describe_clusters(clusters=[args.cluster], include=["SETTINGS"])["clusters"][0]


def stop_task(args):
    ecs = client(args.endpoint, "ecs")
    task = ecs.stop_task(cluster=args.cluster, task=args.task, reason=args.reason)["task"]
    return {
        key: task.get(key)
        for key in ("taskArn", "lastStatus", "desiredStatus", "stoppedReason")
    }


def describe_task(args):
    ecs = client(args.endpoint, "ecs")
    task = ecs.describe_tasks(cluster=args.cluster, tasks=[args.task])["tasks"][0]
    return {
        key: task.get(key)
        for key in ("taskArn", "lastStatus", "desiredStatus", "stoppedReason")
    }


# What RegisterTaskDefinition accepts from a DescribeTaskDefinition answer.
REGISTER_FIELDS = (
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
)


def register_revision(args):
    ecs = client(args.endpoint, "ecs")
    latest = ecs.describe_task_definition(taskDefinition=args.family)["taskDefinition"]
    request = {key: latest[key] for key in REGISTER_FIELDS if latest.get(key)}
    app = request["containerDefinitions"][0]
    if args.image:
        app["image"] = args.image
    if args.env:
        environment = {e["name"]: e["value"] for e in app.get("environment", [])}
        for pair in args.env:
            name, _, value = pair.partition("=")
            environment[name] = value
        app["environment"] = [{"name": k, "value": v} for k, v in environment.items()]
    if args.cpu:
        request["cpu"] = str(args.cpu)
    if args.memory:
        request["memory"] = str(args.memory)
    registered = ecs.register_task_definition(**request)["taskDefinition"]
    return {
        "taskDefinitionArn": registered["taskDefinitionArn"],
        "revision": registered["revision"],
    }


def register_scalable_target(args):
    autoscaling = client(args.endpoint, "application-autoscaling")
    resource_id = f"service/{args.cluster}/{args.service}"
    autoscaling.register_scalable_target(
        ServiceNamespace="ecs",
        ResourceId=resource_id,
        ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=args.min,
        MaxCapacity=args.max,
    )
    return {"resourceId": resource_id, "minCapacity": args.min, "maxCapacity": args.max}


def scaling_policies(args):
    autoscaling = client(args.endpoint, "application-autoscaling")
    common = dict(
        ServiceNamespace="ecs",
        ResourceId=f"service/{args.cluster}/{args.service}",
        ScalableDimension="ecs:service:DesiredCount",
    )
    autoscaling.put_scaling_policy(
        PolicyName="cpu60",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 60.0,
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "ECSServiceAverageCPUUtilization"
            },
            "ScaleOutCooldown": 60,
            "ScaleInCooldown": 300,
        },
        **common,
    )
    autoscaling.put_scaling_policy(
        PolicyName="queue-steps",
        PolicyType="StepScaling",
        StepScalingPolicyConfiguration={
            "AdjustmentType": "ChangeInCapacity",
            "Cooldown": 120,
            "StepAdjustments": [
                {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 500.0, "ScalingAdjustment": 1},
                {"MetricIntervalLowerBound": 500.0, "ScalingAdjustment": 3},
            ],
        },
        **common,
    )
    autoscaling.put_scheduled_action(
        ScheduledActionName="weekday-floor",
        Schedule="cron(0 7 ? * MON-FRI *)",
        ScalableTargetAction={"MinCapacity": 4, "MaxCapacity": 12},
        **common,
    )
    return {"policies": ["cpu60", "queue-steps"], "scheduledActions": ["weekday-floor"]}


def describe_scalable_target(args):
    autoscaling = client(args.endpoint, "application-autoscaling")
    found = autoscaling.describe_scalable_targets(
        ServiceNamespace="ecs",
        ResourceIds=[f"service/{args.cluster}/{args.service}"],
        ScalableDimension="ecs:service:DesiredCount",
    )["ScalableTargets"]
    if not found:
        return None
    target = found[0]
    return {
        "minCapacity": target["MinCapacity"],
        "maxCapacity": target["MaxCapacity"],
        "suspendedState": target.get("SuspendedState"),
    }


def balanced_service(args):
    """An ECS service behind an application load balancer: ALB, IP target group (HTTP 8080,
    /health), listener 80; the service's tasks run (moto's services start none) and the
    first `--registered` of them are registered as targets by their IP."""
    ecs = client(args.endpoint, "ecs")
    ec2 = client(args.endpoint, "ec2")
    elb = client(args.endpoint, "elbv2")
    net = network(args.endpoint)
    subnet = net["awsvpcConfiguration"]["subnets"][0]
    vpc = ec2.describe_subnets(SubnetIds=[subnet])["Subnets"][0]["VpcId"]
    second = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1b")
    subnets = [subnet, second["Subnet"]["SubnetId"]]
    lb = elb.create_load_balancer(Name=f"{args.cluster}-alb", Subnets=subnets, Type="application")
    lb_arn = lb["LoadBalancers"][0]["LoadBalancerArn"]
    tg_arn = elb.create_target_group(
        Name=f"{args.cluster}-tg",
        Protocol="HTTP",
        Port=8080,
        VpcId=vpc,
        TargetType="ip",
        HealthCheckPath="/health",
        Matcher={"HttpCode": "200-299"},
    )["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg_arn}],
    )
    task_definition = register_task_definition(ecs, f"{args.cluster}-web")
    ecs.create_cluster(clusterName=args.cluster)
    ecs.create_service(
        cluster=args.cluster,
        serviceName="web",
        taskDefinition=task_definition,
        desiredCount=args.tasks,
        launchType="FARGATE",
        networkConfiguration=net,
        loadBalancers=[{"targetGroupArn": tg_arn, "containerName": "app", "containerPort": 8080}],
    )
    started = ecs.run_task(
        cluster=args.cluster,
        taskDefinition=task_definition,
        count=args.tasks,
        launchType="FARGATE",
        networkConfiguration=net,
        group="service:web",
        startedBy="ecs-svc/web",
    )["tasks"]
    tasks = []
    for task in started:
        details = [d for a in task.get("attachments", []) for d in a.get("details", [])]
        ip = next((d["value"] for d in details if d["name"] == "privateIPv4Address"), None)
        tasks.append({"taskArn": task["taskArn"], "ip": ip})
    registered = [{"Id": t["ip"], "Port": 8080} for t in tasks[: args.registered]]
    if registered:
        elb.register_targets(TargetGroupArn=tg_arn, Targets=registered)
    return {"loadBalancerArn": lb_arn, "targetGroupArn": tg_arn, "tasks": tasks}


def ec2_hosts(args):
    ecs = client(args.endpoint, "ecs")
    ec2 = client(args.endpoint, "ec2")
    cluster = ecs.create_cluster(clusterName=args.cluster)["cluster"]["clusterArn"]
    image = ec2.describe_images()["Images"][0]["ImageId"]
    launched = ec2.run_instances(
        ImageId=image, MinCount=args.count, MaxCount=args.count, InstanceType="m5.large"
    )["Instances"]
    instances = []
    for instance in launched:
        document = json.dumps({"instanceId": instance["InstanceId"]})
        registered = ecs.register_container_instance(
            cluster=args.cluster, instanceIdentityDocument=document
        )["containerInstance"]
        instances.append(
            {
                "containerInstanceArn": registered["containerInstanceArn"],
                "ec2InstanceId": registered["ec2InstanceId"],
            }
        )
    tasks = []
    if args.tasks:
        definition = ecs.register_task_definition(
            family=f"{args.cluster}-host-app",
            containerDefinitions=[
                {"name": "app", "image": "nginx:1.27", "cpu": 256, "memory": 512}
            ],
        )["taskDefinition"]["taskDefinitionArn"]
        for task in ecs.run_task(
            cluster=args.cluster,
            taskDefinition=definition,
            count=args.tasks,
            launchType="EC2",
            startedBy="ecsdeck-tests",
        )["tasks"]:
            tasks.append(
                {
                    "taskArn": task["taskArn"],
                    "containerInstanceArn": task.get("containerInstanceArn"),
                }
            )
    return {"clusterArn": cluster, "instances": instances, "tasks": tasks}


def describe_instances(args):
    ecs = client(args.endpoint, "ecs")
    arns = ecs.list_container_instances(cluster=args.cluster)["containerInstanceArns"]
    if not arns:
        return []
    described = ecs.describe_container_instances(cluster=args.cluster, containerInstances=arns)
    return [
        {key: i.get(key) for key in ("containerInstanceArn", "ec2InstanceId", "status")}
        for i in described["containerInstances"]
    ]


def capacity(args):
    ecs = client(args.endpoint, "ecs")
    ec2 = client(args.endpoint, "ec2")
    autoscaling = client(args.endpoint, "autoscaling")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    group = f"{args.provider}-group"
    autoscaling.create_launch_configuration(
        LaunchConfigurationName=f"{group}-lc", ImageId=image, InstanceType="m5.large"
    )
    autoscaling.create_auto_scaling_group(
        AutoScalingGroupName=group,
        LaunchConfigurationName=f"{group}-lc",
        MinSize=args.min,
        MaxSize=args.max,
        DesiredCapacity=args.desired,
        AvailabilityZones=[f"{REGION}a"],
    )
    group_arn = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group])[
        "AutoScalingGroups"
    ][0]["AutoScalingGroupARN"]
    provider = ecs.create_capacity_provider(
        name=args.provider,
        autoScalingGroupProvider={
            "autoScalingGroupArn": group_arn,
            "managedScaling": {
                "status": "ENABLED",
                "targetCapacity": 90,
                "minimumScalingStepSize": 1,
                "maximumScalingStepSize": 10,
            },
            "managedTerminationProtection": "DISABLED",
        },
    )["capacityProvider"]["capacityProviderArn"]
    cluster = ecs.create_cluster(clusterName=args.cluster)["cluster"]["clusterArn"]
    ecs.put_cluster_capacity_providers(
        cluster=args.cluster,
        capacityProviders=[args.provider, "FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy=[
            {"capacityProvider": args.provider, "base": 1, "weight": 2},
            {"capacityProvider": "FARGATE_SPOT", "weight": 1},
        ],
    )
    return {
        "clusterArn": cluster,
        "groupName": group,
        "groupArn": group_arn,
        "providerArn": provider,
    }


def dimensions(pairs):
    out = []
    for pair in pairs:
        name, _, value = pair.partition("=")
        out.append({"Name": name, "Value": value})
    return out


def put_metric(args):
    cloudwatch = client(args.endpoint, "cloudwatch")
    now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    minutes_ago = args.minutes_ago if args.minutes_ago is not None else len(args.value)
    data = []
    for index, value in enumerate(args.value):
        at = now - datetime.timedelta(minutes=minutes_ago - index)
        data.append(
            {
                "MetricName": args.metric,
                "Dimensions": dimensions(args.dim),
                "Timestamp": at,
                "Value": value,
                "Unit": "Percent",
            }
        )
    cloudwatch.put_metric_data(Namespace=args.namespace, MetricData=data)
    return {"count": len(data), "timestamps": [d["Timestamp"].isoformat() for d in data]}


def put_alarm(args):
    cloudwatch = client(args.endpoint, "cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=args.name,
        Namespace=args.namespace,
        MetricName=args.metric,
        Dimensions=dimensions(args.dim),
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=args.threshold,
        ComparisonOperator="GreaterThanThreshold",
    )
    return {"name": args.name}


def set_alarm_state(args):
    cloudwatch = client(args.endpoint, "cloudwatch")
    cloudwatch.set_alarm_state(
        AlarmName=args.name, StateValue=args.state, StateReason=args.reason
    )
    return {"name": args.name, "state": args.state}
def put_logs(args):
    import time

    logs = client(args.endpoint, "logs")
    try:
        logs.create_log_group(logGroupName=args.group)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    try:
        logs.create_log_stream(logGroupName=args.group, logStreamName=args.stream)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    first = int(time.time() * 1000) - args.ago_ms
    events = [
        {"timestamp": first + i, "message": message} for i, message in enumerate(args.message)
    ]
    logs.put_log_events(logGroupName=args.group, logStreamName=args.stream, logEvents=events)
    return {"count": len(events), "firstTimestamp": first}


def main():
    global REGION
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    # moto keeps each region apart: a second region's fleet is only seen there.
    parser.add_argument("--region", default=REGION)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("fleet")
    p.add_argument("--cluster", required=True)
    p.add_argument("--services", type=int, default=1)
    p.add_argument("--tasks-per-service", type=int, default=0)
    p.add_argument("--task-family")
    p.add_argument("--image")
    p.set_defaults(run=fleet)

    p = sub.add_parser("ecr-push")
    p.add_argument("--repository", required=True)
    p.add_argument("--tag", required=True)
    p.add_argument("--build", required=True, help="what makes this image differ from others")
    p.set_defaults(run=ecr_push)

    p = sub.add_parser("describe-service")
    p.add_argument("--cluster", required=True)
    p.add_argument("--service", required=True)
    p.set_defaults(run=describe_service)

    p = sub.add_parser("describe-cluster")
    p.add_argument("--cluster", required=True)
    p.set_defaults(run=describe_cluster)

    p = sub.add_parser("stop-task")
    p.add_argument("--cluster", required=True)
    p.add_argument("--task", required=True)
    p.add_argument("--reason", default="Stopped by ecsdeck tests")
    p.set_defaults(run=stop_task)

    p = sub.add_parser("describe-task")
    p.add_argument("--cluster", required=True)
    p.add_argument("--task", required=True)
    p.set_defaults(run=describe_task)

    p = sub.add_parser("register-revision")
    p.add_argument("--family", required=True)
    p.add_argument("--image")
    p.add_argument("--env", action="append", default=[], metavar="K=V")
    p.add_argument("--cpu", type=int)
    p.add_argument("--memory", type=int)
    p.set_defaults(run=register_revision)

    p = sub.add_parser("register-scalable-target")
    p.add_argument("--cluster", required=True)
    p.add_argument("--service", required=True)
    p.add_argument("--min", type=int, required=True)
    p.add_argument("--max", type=int, required=True)
    p.set_defaults(run=register_scalable_target)

    for name, run in (
        ("scaling-policies", scaling_policies),
        ("describe-scalable-target", describe_scalable_target),
    ):
        p = sub.add_parser(name)
        p.add_argument("--cluster", required=True)
        p.add_argument("--service", required=True)
        p.set_defaults(run=run)

    p = sub.add_parser("balanced-service")
    p.add_argument("--cluster", required=True)
    p.add_argument("--tasks", type=int, default=3)
    p.add_argument("--registered", type=int, default=2)
    p.set_defaults(run=balanced_service)

    p = sub.add_parser("put-metric")
    p.add_argument("--namespace", required=True)
    p.add_argument("--metric", required=True)
    p.add_argument("--dim", action="append", default=[], metavar="K=V")
    p.add_argument("--value", action="append", type=float, required=True)
    p.add_argument("--minutes-ago", type=int)
    p.set_defaults(run=put_metric)

    p = sub.add_parser("put-alarm")
    p.add_argument("--name", required=True)
    p.add_argument("--namespace", required=True)
    p.add_argument("--metric", required=True)
    p.add_argument("--dim", action="append", default=[], metavar="K=V")
    p.add_argument("--threshold", type=float, required=True)
    p.set_defaults(run=put_alarm)

    p = sub.add_parser("set-alarm-state")
    p.add_argument("--name", required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(run=set_alarm_state)
    p = sub.add_parser("capacity")
    p.add_argument("--cluster", required=True)
    p.add_argument("--provider", required=True)
    p.add_argument("--min", type=int, default=1)
    p.add_argument("--desired", type=int, default=2)
    p.add_argument("--max", type=int, default=4)
    p.set_defaults(run=capacity)

    p = sub.add_parser("ec2-hosts")
    p.add_argument("--cluster", required=True)
    p.add_argument("--count", type=int, default=2)
    p.add_argument("--tasks", type=int, default=0)
    p.set_defaults(run=ec2_hosts)

    p = sub.add_parser("describe-instances")
    p.add_argument("--cluster", required=True)
    p.set_defaults(run=describe_instances)

    p = sub.add_parser("put-logs")
    p.add_argument("--group", required=True)
    p.add_argument("--stream", required=True)
    p.add_argument("--message", action="append", required=True)
    p.add_argument("--ago-ms", type=int, default=0)
    p.set_defaults(run=put_logs)

    args = parser.parse_args()
    REGION = args.region
    print(json.dumps(args.run(args), default=str))


if __name__ == "__main__":
    main()
