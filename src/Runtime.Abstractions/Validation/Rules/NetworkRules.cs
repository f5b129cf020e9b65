using System.Net;

namespace Runtime.Abstractions.Validation.Rules;

/// <summary>Ports, IP addresses and CIDR blocks.</summary>
internal static class NetworkRules
{
    public static void ValidatePort(string path, int? port, IssueSink issues, bool required = false)
    {
        if (port is null)
        {
            if (required)
            {
                issues.Error(path, "port number is required", "set number: to a value from 1 to 65535");
            }

            return;
        }

        if (port is < 1 or > 65535)
        {
            issues.Error(path, $"port {port} is outside 1..65535", "use a port number from 1 to 65535");
        }
    }

    public static void ValidateIpOrCidr(string path, string? value, IssueSink issues)
    {
        if (string.IsNullOrEmpty(value))
        {
            issues.Error(path, "address must not be empty");
            return;
        }

        if (!IsIpOrCidr(value))
        {
            issues.Error(path, $"'{value}' is not an IP address or CIDR block", "write an address like 10.0.0.1 or a block like 10.0.0.0/16");
        }
    }

    public static void ValidateIpsOrCidrs(string path, IEnumerable<string>? values, IssueSink issues)
    {
        var index = 0;
        foreach (var value in values ?? [])
        {
            ValidateIpOrCidr($"{path}[{index++}]", value, issues);
        }
    }

    public static bool IsIpOrCidr(string value)
    {
        // Like Go's netip.ParsePrefix, host bits may be set (10.0.0.1/16), so parse address and length separately.
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return IPAddress.TryParse(value, out _);
        }

        if (!IPAddress.TryParse(value[..slash], out var address) || !int.TryParse(value[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length))
        {
            return false;
        }

        return length <= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
    }
}
