using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Validation.Rules;

namespace Runtime.Abstractions.Validation;

/// <summary>Istio's Gateway rules: servers with ports, hosts and consistent TLS; unique port names.</summary>
internal sealed class GatewayValidator : SpecValidator<GatewaySpec>
{
    // Istio's protocol.Parse, compared case-insensitively.
    private static readonly HashSet<string> Protocols = new(["HTTP", "HTTPS", "GRPC", "GRPC-WEB", "HTTP2", "HTTP_PROXY", "MONGO", "TCP", "TLS", "REDIS", "MYSQL", "UDP"], StringComparer.OrdinalIgnoreCase);

    protected override void Validate(GatewaySpec spec, IssueSink issues)
    {
        if (spec.Servers is not { Count: > 0 })
        {
            issues.Error("spec.servers", "a Gateway needs at least one server", "add servers: with a port and hosts");
            return;
        }

        var portNames = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < spec.Servers.Count; i++)
        {
            var server = spec.Servers[i];
            var path = $"spec.servers[{i}]";
            if (server.Hosts is not { Count: > 0 })
            {
                issues.Error($"{path}.hosts", "server needs at least one host", "add hosts: [\"*\"] or a host name");
            }

            for (var h = 0; h < (server.Hosts?.Count ?? 0); h++)
            {
                HostRules.ValidateWithNamespace($"{path}.hosts[{h}]", server.Hosts![h], issues);
            }

            ValidatePort($"{path}.port", server.Port, portNames, i, issues);
            ValidateTls($"{path}.tls", server.Tls, issues);
        }
    }

    private static void ValidatePort(string path, ServicePort? port, Dictionary<string, int> names, int server, IssueSink issues)
    {
        if (port is null)
        {
            issues.Error(path, "server needs a port", "add port: { number: 80, name: http, protocol: HTTP }");
            return;
        }

        NetworkRules.ValidatePort($"{path}.number", port.Number, issues, required: true);
        NetworkRules.ValidatePort($"{path}.targetPort", port.TargetPort, issues);
        if (port.Protocol is null || !Protocols.Contains(port.Protocol))
        {
            issues.Error($"{path}.protocol", $"protocol '{port.Protocol}' is not supported", $"use one of {string.Join(", ", Protocols)}");
        }

        if (string.IsNullOrEmpty(port.Name))
        {
            return;
        }

        if (!names.TryAdd(port.Name, server))
        {
            issues.Error($"{path}.name", $"port name '{port.Name}' is already used by servers[{names[port.Name]}]", "give each server port a unique name");
        }
    }

    private static void ValidateTls(string path, ServerTlsSettings? tls, IssueSink issues)
    {
        if (tls is not { Mode: ServerTlsMode.Simple or ServerTlsMode.Mutual or ServerTlsMode.OptionalMutual })
        {
            return;
        }

        var mode = Binding.EnumNames.IstioName(tls.Mode!.Value);
        var hasCredential = tls.CredentialName is not null || tls.CredentialNames is { Count: > 0 };
        if (!hasCredential && (tls.ServerCertificate is null || tls.PrivateKey is null))
        {
            issues.Error(path, $"TLS mode {mode} needs credentialName, or serverCertificate and privateKey", "add credentialName: my-tls-secret");
        }

        if (!hasCredential && tls.Mode != ServerTlsMode.Simple && tls.CaCertificates is null)
        {
            issues.Error($"{path}.caCertificates", $"TLS mode {mode} needs caCertificates to verify clients", "add caCertificates: /etc/certs/ca.pem or use credentialName");
        }
    }
}
