using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;

namespace Runtime.Abstractions.Api;

/// <summary>
/// Converts between a spec held as JSON and <c>google.protobuf.Struct</c>, the form specs take on the wire.
/// Integral numbers come back as JSON integers so that a spec round-trips unchanged.
/// </summary>
public static class StructConverter
{
    private const double MaxSafeInteger = 9007199254740991d;

    /// <summary>Converts a JSON object to a <see cref="Struct"/>.</summary>
    /// <exception cref="ArgumentException">The element is not a JSON object.</exception>
    public static Struct ToStruct(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"a spec must be a JSON object, not {element.ValueKind}", nameof(element));
        }

        var result = new Struct();
        foreach (var property in element.EnumerateObject())
        {
            result.Fields[property.Name] = ToValue(property.Value);
        }

        return result;
    }

    /// <summary>Converts a <see cref="Struct"/> to a JSON object; <c>null</c> gives an empty object.</summary>
    public static JsonElement ToJson(Struct? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteStruct(writer, value ?? new Struct());
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static Value ToValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Value.ForStruct(ToStruct(element)),
        JsonValueKind.Array => Value.ForList([.. element.EnumerateArray().Select(ToValue)]),
        JsonValueKind.String => Value.ForString(element.GetString()!),
        JsonValueKind.Number => Value.ForNumber(element.GetDouble()),
        JsonValueKind.True => Value.ForBool(true),
        JsonValueKind.False => Value.ForBool(false),
        _ => Value.ForNull(),
    };

    private static void WriteStruct(Utf8JsonWriter writer, Struct value)
    {
        writer.WriteStartObject();
        foreach (var field in value.Fields)
        {
            writer.WritePropertyName(field.Key);
            WriteValue(writer, field.Value);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, Value value)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StructValue:
                WriteStruct(writer, value.StructValue);
                break;
            case Value.KindOneofCase.ListValue:
                writer.WriteStartArray();
                foreach (var item in value.ListValue.Values)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            case Value.KindOneofCase.StringValue:
                writer.WriteStringValue(value.StringValue);
                break;
            case Value.KindOneofCase.NumberValue:
                WriteNumber(writer, value.NumberValue);
                break;
            case Value.KindOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, double number)
    {
        if (double.IsNaN(number) || double.IsInfinity(number))
        {
            // JSON has no NaN or infinity; protobuf's JSON mapping writes them as strings.
            writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
        }
        else if (Math.Floor(number) == number && Math.Abs(number) <= MaxSafeInteger)
        {
            writer.WriteNumberValue((long)number);
        }
        else
        {
            writer.WriteNumberValue(number);
        }
    }
}
