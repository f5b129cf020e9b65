using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Discovery;

/// <summary>
/// A snapshot's version: the first 16 hex digits of SHA-256 over a canonical serialization of its content
/// (resources and services in a fixed order, object keys sorted). Equal content gives equal versions, on
/// any replica and after restarts; a change anywhere the proxy sees gives a new one (the CA's trust bundle
/// included, so a root rotation step reaches every proxy). The creation time, the proxy id and the store
/// revision are not content and are left out.
/// </summary>
internal static class SnapshotVersion
{
    public static string Compute(IReadOnlyList<MeshResource> resources, IReadOnlyList<MeshService> services, MeshTrustBundle? trust = null)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("resources");
            foreach (var resource in resources)
            {
                WriteResource(writer, resource);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("services");
            foreach (var service in services)
            {
                WriteService(writer, service);
            }

            writer.WriteEndArray();
            if (trust is not null)
            {
                writer.WriteStartObject("trust");
                writer.WriteNumber("generation", trust.Generation);
                writer.WriteString("signingRoot", trust.SigningRootSha256);
                writer.WriteString("roots", trust.RootsPem);
                writer.WriteString("trustDomains", string.Join(",", trust.TrustDomains));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan))[..16];
    }

    private static void WriteResource(Utf8JsonWriter writer, MeshResource resource)
    {
        writer.WriteStartObject();
        writer.WriteString("apiVersion", resource.ApiVersion);
        writer.WriteString("kind", resource.Kind);
        writer.WriteString("namespace", resource.Metadata.Namespace);
        writer.WriteString("name", resource.Metadata.Name);
        writer.WriteNumber("resourceVersion", resource.Metadata.ResourceVersion);
        writer.WriteNumber("generation", resource.Metadata.Generation);
        WriteMap(writer, "labels", resource.Metadata.Labels);
        WriteMap(writer, "annotations", resource.Metadata.Annotations);
        writer.WritePropertyName("spec");
        WriteCanonical(writer, resource.Spec);
        writer.WriteEndObject();
    }

    private static void WriteService(Utf8JsonWriter writer, MeshService service)
    {
        writer.WriteStartObject();
        writer.WriteString("name", service.Name);
        writer.WriteString("namespace", service.Namespace);
        writer.WriteString("host", service.Host);
        writer.WriteStartArray("ports");
        foreach (var port in service.Ports)
        {
            writer.WriteNumberValue(port);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("endpoints");
        foreach (var endpoint in service.Endpoints)
        {
            writer.WriteStartObject();
            writer.WriteString("address", endpoint.Address);
            writer.WriteNumber("port", endpoint.Port);
            WriteMap(writer, "labels", endpoint.Labels);
            writer.WriteString("health", endpoint.Health.ToString());
            writer.WriteString("proxyId", endpoint.ProxyId);
            writer.WriteString("serviceAccount", endpoint.ServiceAccount);
            writer.WriteString("instance", endpoint.Instance);
            writer.WriteBoolean("mtlsDisabled", endpoint.MtlsDisabled);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Undefined:
                writer.WriteNullValue();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
