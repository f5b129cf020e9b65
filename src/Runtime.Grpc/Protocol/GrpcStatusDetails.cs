using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Runtime.Grpc.Protocol;

/// <summary>Encodes and decodes the <c>grpc-status-details-bin</c> value (a base64 google.rpc.Status).</summary>
internal static class GrpcStatusDetails
{
    /// <summary>Unpadded base64, as the spec recommends for -bin headers.</summary>
    public static string Encode(GrpcStatusCode status, string message, IReadOnlyList<Any> details)
    {
        var proto = new Google.Rpc.Status { Code = (int)status, Message = message };
        proto.Details.Add(details);
        return Convert.ToBase64String(proto.ToByteArray()).TrimEnd('=');
    }

    /// <summary>Accepts padded and unpadded base64; returns null when the value is not a valid Status.</summary>
    public static Google.Rpc.Status? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var text = value.Trim();
        var padding = (4 - (text.Length % 4)) % 4;
        if (padding == 3)
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(text + new string('=', padding));
            return Google.Rpc.Status.Parser.ParseFrom(bytes);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }
}
