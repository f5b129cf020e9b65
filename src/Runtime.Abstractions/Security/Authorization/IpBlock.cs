using System.Net;
using System.Net.Sockets;

namespace Runtime.Abstractions.Security.Authorization;

/// <summary>An address or CIDR block from <c>ipBlocks</c>, <c>remoteIpBlocks</c> or an IP condition. IPv4-mapped IPv6 addresses count as IPv4.</summary>
internal sealed class IpBlock
{
    private readonly byte[] _network;
    private readonly int _prefix;

    private IpBlock(byte[] network, int prefix)
    {
        _network = network;
        _prefix = prefix;
    }

    /// <summary>Parses <c>10.0.0.1</c> or <c>10.0.0.0/16</c>; null with <paramref name="error"/> when malformed.</summary>
    public static IpBlock? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
        {
            error = $"'{text}' is not an IP address or CIDR block";
            return null;
        }

        address = Normalize(address);
        var bytes = address.GetAddressBytes();
        var prefix = bytes.Length * 8;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > bytes.Length * 8))
        {
            error = $"'{text}' has an invalid prefix length (0 to {bytes.Length * 8})";
            return null;
        }

        return new IpBlock(Mask(bytes, prefix), prefix);
    }

    /// <summary>Whether <paramref name="address"/> lies in the block.</summary>
    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!Normalize(address).TryWriteBytes(bytes, out var written) || written != _network.Length)
        {
            return false;
        }

        for (var i = 0; i < written; i++)
        {
            var bits = Math.Clamp(_prefix - (i * 8), 0, 8);
            if ((bytes[i] & (byte)(0xFF << (8 - bits))) != _network[i])
            {
                return false;
            }
        }

        return true;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static byte[] Mask(byte[] bytes, int prefix)
    {
        var masked = (byte[])bytes.Clone();
        for (var i = 0; i < masked.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            masked[i] &= (byte)(0xFF << (8 - bits));
        }

        return masked;
    }
}
