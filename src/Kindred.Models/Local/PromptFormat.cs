using System.Text;
using LLama;
using Microsoft.Extensions.AI;

namespace Kindred.Models.Local;

/// <summary>
/// Turns a conversation into the text a model was trained on: the GGUF's own chat template when it has one that
/// llama.cpp understands, otherwise a plain transcript ("User: … / Assistant: …") that any model can continue.
/// </summary>
internal sealed class PromptFormat
{
    /// <summary>In the plain transcript a new line that starts another speaker's turn ends the reply.</summary>
    public static readonly IReadOnlyList<string> TranscriptStops = ["\nUser:", "\nAssistant:", "\nSystem:"];

    private readonly LLamaWeights? _templateModel;

    private PromptFormat(LLamaWeights? templateModel) => _templateModel = templateModel;

    /// <summary>True when the model's own chat template is used.</summary>
    public bool UsesChatTemplate => _templateModel is not null;

    /// <summary>The format for a loaded model: its template if llama.cpp can apply it, else the transcript.</summary>
    public static PromptFormat For(LLamaWeights weights)
    {
        if (weights.NativeHandle.GetTemplate(strict: false) is null)
        {
            return new PromptFormat(null);
        }

        try
        {
            // llama.cpp applies only templates it recognises; try one before trusting it.
            var probe = new LLamaTemplate(weights) { AddAssistant = true };
            probe.Add("user", "Hello");
            _ = probe.Apply();
            return new PromptFormat(weights);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new PromptFormat(null);
        }
    }

    public string Render(IEnumerable<ChatMessage> messages)
    {
        return _templateModel is null ? RenderTranscript(messages) : RenderTemplate(_templateModel, messages);
    }

    private static string RenderTemplate(LLamaWeights weights, IEnumerable<ChatMessage> messages)
    {
        var template = new LLamaTemplate(weights) { AddAssistant = true };
        foreach (var message in messages)
        {
            template.Add(message.Role.Value, message.Text);
        }

        return Encoding.UTF8.GetString(template.Apply());
    }

    internal static string RenderTranscript(IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                text.Append(message.Text.Trim()).Append("\n\n");
            }
            else
            {
                var speaker = message.Role == ChatRole.Assistant ? "Assistant" : "User";
                text.Append(speaker).Append(": ").Append(message.Text.Trim()).Append('\n');
            }
        }

        return text.Append("Assistant:").ToString();
    }
}
