using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace Runtime.Sidecar.Forwarding;

/// <summary>Converts header values between HttpClient's and ASP.NET Core's representations.</summary>
internal static class HeaderValues
{
    /// <summary>Converts without allocating for the common single-value case; multiple values stay separate (Set-Cookie).</summary>
    public static StringValues ToStringValues(HeaderStringValues values)
    {
        if (values.Count == 1)
        {
            return values.ToString();
        }

        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return array;
    }
}
