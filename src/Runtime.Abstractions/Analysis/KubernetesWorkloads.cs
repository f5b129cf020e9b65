using System.Text.Json.Nodes;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Reading;

namespace Runtime.Abstractions.Analysis;

/// <summary>
/// Kubernetes objects found next to mesh resources in manifest files: <c>v1 Service</c>s become services
/// (<c>name.namespace.svc.cluster.local</c>) and the pod templates of workloads their selectors match become
/// endpoints carrying the pod labels, so subsets can be checked offline as istioctl does with files.
/// </summary>
internal sealed class KubernetesWorkloads
{
    private static readonly HashSet<string> WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"];

    private readonly List<(string Name, string Namespace, Dictionary<string, string>? Selector)> _services = [];
    private readonly List<(string Name, string Namespace, Dictionary<string, string> Labels)> _pods = [];

    /// <summary>Documents read as registry stand-ins, so their "not mesh configuration; skipped" warning can be dropped.</summary>
    public HashSet<(string Kind, string Namespace, string Name)> Consumed { get; } = [];

    public void Add(JsonObject node, string defaultNamespace)
    {
        var kind = JsonNodes.AsString(node["kind"]);
        var apiVersion = JsonNodes.AsString(node["apiVersion"]);
        var metadata = node["metadata"] as JsonObject;
        var name = JsonNodes.AsString(metadata?["name"]);
        var @namespace = JsonNodes.AsString(metadata?["namespace"]) ?? defaultNamespace;
        if (name is null)
        {
            return;
        }

        if (kind == "Service" && apiVersion == "v1")
        {
            _services.Add((name, @namespace, Strings(node["spec"]?["selector"])));
            Consumed.Add((kind, @namespace, name));
        }
        else if (kind == "Pod" && apiVersion == "v1")
        {
            _pods.Add((name, @namespace, Strings(metadata?["labels"]) ?? []));
            Consumed.Add((kind, @namespace, name));
        }
        else if (kind is not null && WorkloadKinds.Contains(kind) && Strings(node["spec"]?["template"]?["metadata"]?["labels"]) is { } labels)
        {
            _pods.Add((name, @namespace, labels));
            Consumed.Add((kind, @namespace, name));
        }
    }

    /// <summary>One service per Kubernetes Service; a Service without a selector has no endpoints we can know.</summary>
    public IReadOnlyList<MeshService> Services() =>
    [
        .. _services.Select(s => new MeshService
        {
            Name = s.Name,
            Namespace = s.Namespace,
            Host = ServiceHosts.For(s.Name, s.Namespace),
            Endpoints = s.Selector is not { Count: > 0 } selector
                ? []
                : [.. _pods.Where(p => p.Namespace == s.Namespace && selector.All(l => p.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
                    .Select(p => new MeshEndpoint { Address = p.Name, Port = 0, Labels = p.Labels, Instance = p.Name })],
        }),
    ];

    private static Dictionary<string, string>? Strings(JsonNode? node)
    {
        if (node is not JsonObject map)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            // Label values are strings in Kubernetes; YAML may have read "true" or 1 as another scalar.
            if (value is JsonValue scalar)
            {
                result[key] = JsonNodes.AsString(scalar) ?? scalar.ToJsonString();
            }
        }

        return result;
    }
}
