using System.Net;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's ServiceEntry rules: hosts, ports, and resolution consistent with addresses and endpoints.</summary>
internal sealed class ServiceEntryValidator : SpecValidator<ServiceEntrySpec>
{
    protected override void Validate(ServiceEntrySpec spec, IssueSink issues)
    {
        if (spec.Hosts is not { Count: > 0 })
        {
            issues.Error("spec.hosts", "a ServiceEntry needs at least one host", "add hosts: [api.example.com]");
        }

        for (var i = 0; i < (spec.Hosts?.Count ?? 0); i++)
        {
            HostRules.Validate($"spec.hosts[{i}]", spec.Hosts![i], issues, allowIp: false);
            if (HostRules.IsPartialWildcard(spec.Hosts[i]))
            {
                issues.Warning($"spec.hosts[{i}]", $"partial wildcard host '{spec.Hosts[i]}' is not supported by Istio for ServiceEntries", "use a '*.' prefix such as *.example.com");
            }
        }

        NetworkRules.ValidateIpsOrCidrs("spec.addresses", spec.Addresses, issues);
        ValidatePorts(spec.Ports, issues);
        ValidateResolution(spec, issues);
        for (var i = 0; i < (spec.Endpoints?.Count ?? 0); i++)
        {
            var endpoint = spec.Endpoints![i];
            foreach (var (name, port) in endpoint.Ports ?? new Dictionary<string, int>())
            {
                NetworkRules.ValidatePort($"spec.endpoints[{i}].ports.{name}", port, issues);
            }

            if (endpoint.Weight is < 0)
            {
                issues.Error($"spec.endpoints[{i}].weight", $"weight {endpoint.Weight} is negative", "use a positive weight");
            }
        }
    }

    private static void ValidatePorts(IReadOnlyList<ServicePort>? ports, IssueSink issues)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var numbers = new HashSet<int>();
        for (var i = 0; i < (ports?.Count ?? 0); i++)
        {
            var port = ports![i];
            NetworkRules.ValidatePort($"spec.ports[{i}].number", port.Number, issues, required: true);
            NetworkRules.ValidatePort($"spec.ports[{i}].targetPort", port.TargetPort, issues);
            if (port.Name is not null && !names.Add(port.Name))
            {
                issues.Error($"spec.ports[{i}].name", $"duplicate port name '{port.Name}'", "give each port a unique name");
            }

            if (port.Number is int number && !numbers.Add(number))
            {
                issues.Error($"spec.ports[{i}].number", $"duplicate port number {number}", "list each port once");
            }
        }
    }

    private static void ValidateResolution(ServiceEntrySpec spec, IssueSink issues)
    {
        var endpoints = spec.Endpoints?.Count ?? 0;
        switch (spec.Resolution ?? ServiceResolution.None)
        {
            case ServiceResolution.None when endpoints > 0:
                issues.Error("spec.endpoints", "resolution NONE uses the original destination, so endpoints are not allowed", "remove endpoints or use resolution: STATIC");
                break;
            case ServiceResolution.Static when endpoints == 0 && spec.WorkloadSelector is null:
                // Istio accepts this; the service has no endpoints until some are added.
                issues.Warning("spec.endpoints", "resolution STATIC without endpoints or a workloadSelector has no endpoints to send traffic to", "add endpoints: [{ address: 10.0.0.1 }]");
                break;
            case ServiceResolution.Static:
                for (var i = 0; i < endpoints; i++)
                {
                    var address = spec.Endpoints![i].Address;
                    if (address is null || (!IPAddress.TryParse(address, out _) && !address.StartsWith("unix://", StringComparison.Ordinal)))
                    {
                        issues.Error($"spec.endpoints[{i}].address", $"resolution STATIC needs IP addresses but endpoint address is '{address}'", "use an IP address or resolution: DNS");
                    }
                }

                break;
            case ServiceResolution.Dns or ServiceResolution.DnsRoundRobin when endpoints == 0:
                for (var i = 0; i < (spec.Hosts?.Count ?? 0); i++)
                {
                    if (spec.Hosts![i].StartsWith('*'))
                    {
                        issues.Error($"spec.hosts[{i}]", $"wildcard host '{spec.Hosts[i]}' cannot be resolved by DNS", "list concrete hosts, add endpoints, or use resolution: NONE");
                    }
                }

                break;
        }

        if (spec.WorkloadSelector is not null && endpoints > 0)
        {
            issues.Error("spec.workloadSelector", "workloadSelector and endpoints cannot both be set", "keep only one of them");
        }
    }
}
