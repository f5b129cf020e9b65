using System.Globalization;
using Runtime.Abstractions.Security;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>One authorization rule: non-empty sources and operations, valid values, known condition keys.</summary>
internal static class AuthorizationRuleRules
{
    // Istio's condition keys (pkg/config/security): map-style keys need a non-empty [name], the rest match exactly.
    private static readonly string[] MapKeyPrefixes = ["request.headers", "request.experimental.inline.headers", "request.auth.claims", "experimental.envoy.filters."];

    private static readonly string[] ExactKeys =
    [
        "request.auth.principal", "request.auth.audiences", "request.auth.presenter", "source.ip", "remote.ip", "source.namespace",
        "source.principal", "source.serviceAccount", "destination.ip", "destination.port", "connection.sni",
    ];

    public static void Validate(string path, AuthorizationRule rule, IssueSink issues)
    {
        for (var i = 0; i < (rule.From?.Count ?? 0); i++)
        {
            ValidateSource($"{path}.from[{i}].source", rule.From![i].Source, issues);
        }

        for (var i = 0; i < (rule.To?.Count ?? 0); i++)
        {
            ValidateOperation($"{path}.to[{i}].operation", rule.To![i].Operation, issues);
        }

        for (var i = 0; i < (rule.When?.Count ?? 0); i++)
        {
            var condition = rule.When![i];
            var conditionPath = $"{path}.when[{i}]";
            if (string.IsNullOrEmpty(condition.Key))
            {
                issues.Error($"{conditionPath}.key", "condition key is required", "add key: request.headers[x-user]");
            }
            else if (MapKeyPrefixes.Any(p => condition.Key.StartsWith(p, StringComparison.Ordinal)))
            {
                var open = condition.Key.IndexOf('[', StringComparison.Ordinal);
                if (!condition.Key.EndsWith(']') || open <= 0 || open >= condition.Key.Length - 2)
                {
                    issues.Error($"{conditionPath}.key", $"condition key '{condition.Key}' should have the form name[key]", "write it like request.headers[x-user]");
                }
            }
            else if (!ExactKeys.Contains(condition.Key, StringComparer.Ordinal))
            {
                issues.Error($"{conditionPath}.key", $"unknown condition key '{condition.Key}'", "use a supported key such as request.headers[name], source.ip or request.auth.claims[name]");
            }

            if (condition.Values is not { Count: > 0 } && condition.NotValues is not { Count: > 0 })
            {
                issues.Error(conditionPath, "condition needs values or notValues", "add values: [...]");
            }

            Values($"{conditionPath}.values", condition.Values, issues);
            Values($"{conditionPath}.notValues", condition.NotValues, issues);
        }
    }

    private static void ValidateSource(string path, Source? source, IssueSink issues)
    {
        IReadOnlyList<string>?[] all = source is null ? [] :
        [
            source.Principals, source.NotPrincipals, source.RequestPrincipals, source.NotRequestPrincipals, source.Namespaces, source.NotNamespaces,
            source.IpBlocks, source.NotIpBlocks, source.RemoteIpBlocks, source.NotRemoteIpBlocks, source.ServiceAccounts, source.NotServiceAccounts,
        ];
        if (all.All(list => list is not { Count: > 0 }))
        {
            issues.Error(path, "source must set at least one field", "add principals, namespaces or ipBlocks, or remove the empty source");
            return;
        }

        Values($"{path}.principals", source!.Principals, issues);
        Values($"{path}.notPrincipals", source.NotPrincipals, issues);
        Values($"{path}.requestPrincipals", source.RequestPrincipals, issues);
        Values($"{path}.notRequestPrincipals", source.NotRequestPrincipals, issues);
        Values($"{path}.namespaces", source.Namespaces, issues);
        Values($"{path}.notNamespaces", source.NotNamespaces, issues);
        NetworkRules.ValidateIpsOrCidrs($"{path}.ipBlocks", source.IpBlocks, issues);
        NetworkRules.ValidateIpsOrCidrs($"{path}.notIpBlocks", source.NotIpBlocks, issues);
        NetworkRules.ValidateIpsOrCidrs($"{path}.remoteIpBlocks", source.RemoteIpBlocks, issues);
        NetworkRules.ValidateIpsOrCidrs($"{path}.notRemoteIpBlocks", source.NotRemoteIpBlocks, issues);
    }

    private static void ValidateOperation(string path, Operation? operation, IssueSink issues)
    {
        IReadOnlyList<string>?[] all = operation is null ? [] :
            [operation.Hosts, operation.NotHosts, operation.Ports, operation.NotPorts, operation.Methods, operation.NotMethods, operation.Paths, operation.NotPaths];
        if (all.All(list => list is not { Count: > 0 }))
        {
            issues.Error(path, "operation must set at least one field", "add methods, paths, ports or hosts, or remove the empty operation");
            return;
        }

        Values($"{path}.hosts", operation!.Hosts, issues);
        Values($"{path}.notHosts", operation.NotHosts, issues);
        Values($"{path}.methods", operation.Methods, issues);
        Values($"{path}.notMethods", operation.NotMethods, issues);
        Ports($"{path}.ports", operation.Ports, issues);
        Ports($"{path}.notPorts", operation.NotPorts, issues);
        Paths($"{path}.paths", operation.Paths, issues);
        Paths($"{path}.notPaths", operation.NotPaths, issues);
    }

    private static void Values(string path, IReadOnlyList<string>? values, IssueSink issues)
    {
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            if (values![i].Length == 0)
            {
                issues.Error($"{path}[{i}]", "empty value is not allowed", "remove the empty string or give a value");
            }
        }
    }

    private static void Ports(string path, IReadOnlyList<string>? ports, IssueSink issues)
    {
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            // Istio accepts 0..65535 here (pkg/config/security ValidatePorts).
            if (!int.TryParse(ports![i], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                issues.Error($"{path}[{i}]", $"port '{ports[i]}' is not a number from 0 to 65535", "write the port as a quoted number, for example \"8080\"");
            }
        }
    }

    private static void Paths(string path, IReadOnlyList<string>? paths, IssueSink issues)
    {
        Values(path, paths, issues);
        for (var i = 0; i < (paths?.Count ?? 0); i++)
        {
            PathTemplateRules.Validate($"{path}[{i}]", paths![i], issues);
        }
    }
}
