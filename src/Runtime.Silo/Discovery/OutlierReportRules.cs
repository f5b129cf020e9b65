using System.Globalization;
using Runtime.Abstractions.Discovery;

namespace Runtime.Silo.Discovery;

/// <summary>Checks an outlier report from a heartbeat, naming every problem by its place in the report.</summary>
internal static class OutlierReportRules
{
    public static IReadOnlyList<string> Validate(IReadOnlyList<EndpointOutlierStatus> endpoints)
    {
        var problems = new List<string>();
        var seen = new Dictionary<(string, string, int), int>();
        for (var i = 0; i < endpoints.Count; i++)
        {
            var e = endpoints[i];
            var where = string.Create(CultureInfo.InvariantCulture, $"outlier.endpoints[{i}]");
            if (e.Host.Length == 0)
            {
                problems.Add($"{where}: host is required (the service host of the endpoint's cluster)");
            }

            if (e.Address.Length == 0)
            {
                problems.Add($"{where}: address is required");
            }

            if (e.Port is < 1 or > 65535)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: port {e.Port} is out of range 1-65535"));
            }

            if (e.EjectionCount < 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: ejection_count {e.EjectionCount} is negative"));
            }

            if (!seen.TryAdd((e.Host, e.Address, e.Port), i))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{where}: {e.Host} {e.Address}:{e.Port} is already reported at outlier.endpoints[{seen[(e.Host, e.Address, e.Port)]}]"));
            }
        }

        return problems;
    }
}
