using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Route destinations and their weights (shared by HTTP, TCP and TLS routes).</summary>
internal static class DestinationRules
{
    public static void ValidateDestination(string path, Destination? destination, IssueSink issues)
    {
        if (destination is null)
        {
            issues.Error(path, "destination is required", "add destination: { host: my-service }");
            return;
        }

        HostRules.Validate($"{path}.host", destination.Host, issues);
        if (destination.Subset is { Length: 0 })
        {
            issues.Error($"{path}.subset", "subset must not be empty", "remove subset: or name a subset of the DestinationRule");
        }

        if (destination.Port is not null)
        {
            NetworkRules.ValidatePort($"{path}.port.number", destination.Port.Number, issues, required: true);
        }
    }

    public static void ValidateWeighted(string path, IReadOnlyList<RouteDestination>? routes, IssueSink issues)
    {
        if (routes is not { Count: > 0 })
        {
            issues.Error($"{path}.route", "route must list at least one destination", "add route: [{ destination: { host: my-service } }]");
            return;
        }

        for (var i = 0; i < routes.Count; i++)
        {
            ValidateDestination($"{path}.route[{i}].destination", routes[i].Destination, issues);
        }

        ValidateWeights($"{path}.route", [.. routes.Select(r => r.Weight)], issues);
    }

    /// <summary>Weights are relative: each must be non-negative and, with several destinations, not all zero.</summary>
    public static void ValidateWeights(string path, IReadOnlyList<int?> weights, IssueSink issues)
    {
        var total = 0L;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] is < 0)
            {
                issues.Error($"{path}[{i}].weight", $"weight {weights[i]} is negative", "use a weight from 0 to 100");
            }

            total += Math.Max(0, weights[i] ?? 0);
        }

        if (weights.Count > 1 && total == 0)
        {
            issues.Error(path, "the weights of all destinations add up to 0, so no traffic can be routed", "give at least one destination a positive weight, for example 100");
        }
        else if (total > 100 && weights.Count > 1)
        {
            issues.Warning(path, $"the weights add up to {total}, not 100; traffic is split in proportion", "make the weights add up to 100");
        }
    }
}
