using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kindred.Server.OpenAi;

/// <summary>The part of an OpenAI chat completion request Kindred reads; other fields are accepted and ignored.</summary>
/// <param name="Model">The companion id.</param>
public sealed record ChatCompletionRequest(string? Model, IReadOnlyList<RequestMessage>? Messages, bool? Stream);

/// <param name="Content">A string, or an array of content parts of which the text parts are read.</param>
public sealed record RequestMessage(string? Role, JsonElement Content)
{
    internal string? Text()
    {
        switch (Content.ValueKind)
        {
            case JsonValueKind.String:
                return Content.GetString();
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in Content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out var type) && type.ValueEquals("text")
                        && part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        text.Append(value.GetString());
                    }
                }

                return text.ToString();
            default:
                return null;
        }
    }
}

public sealed record ChatCompletion(string Id, [property: JsonPropertyName("object")] string Kind, long Created, string Model, IReadOnlyList<Choice> Choices, Usage Usage);

public sealed record Choice(int Index, ResponseMessage Message, string FinishReason);

public sealed record ResponseMessage(string Role, string Content);

public sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens);

public sealed record ChatCompletionChunk(string Id, [property: JsonPropertyName("object")] string Kind, long Created, string Model, IReadOnlyList<ChunkChoice> Choices);

public sealed record ChunkChoice(int Index, Delta Delta, string? FinishReason);

public sealed record Delta(string? Role, string? Content);

public sealed record ModelList([property: JsonPropertyName("object")] string Kind, IReadOnlyList<Model> Data);

public sealed record Model(string Id, [property: JsonPropertyName("object")] string Kind, long Created, string OwnedBy);

public sealed record ErrorResponse(ErrorBody Error);

public sealed record ErrorBody(string Message, string Type, string? Code);
