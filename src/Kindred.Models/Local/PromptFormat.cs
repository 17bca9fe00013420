using System.Text;
using LLama;
using LLama.Native;
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
    private readonly string[] _controlTokens;

    private PromptFormat(LLamaWeights? templateModel, string[] controlTokens)
    {
        _templateModel = templateModel;
        _controlTokens = controlTokens;
    }

    /// <summary>True when the model's own chat template is used.</summary>
    public bool UsesChatTemplate => _templateModel is not null;

    /// <summary>The format for a loaded model: its template if llama.cpp can apply it, else the transcript.</summary>
    public static PromptFormat For(LLamaWeights weights)
    {
        var controlTokens = ControlTokenTexts(weights);
        if (weights.NativeHandle.GetTemplate(strict: false) is null)
        {
            return new PromptFormat(null, controlTokens);
        }

        try
        {
            // llama.cpp applies only templates it recognises; try one before trusting it.
            var probe = new LLamaTemplate(weights) { AddAssistant = true };
            probe.Add("user", "Hello");
            _ = probe.Apply();
            return new PromptFormat(weights, controlTokens);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new PromptFormat(null, controlTokens);
        }
    }

    /// <summary>
    /// Renders the conversation. What people and the model wrote is stripped of the model's control-token text
    /// (such as "&lt;|im_end|&gt;"): the prompt is tokenised with special tokens on, so a person who typed one
    /// could otherwise end a turn or forge one.
    /// </summary>
    public string Render(IEnumerable<ChatMessage> messages)
    {
        var safe = messages.Select(m => new ChatMessage(m.Role, StripControlTokens(m.Text)));
        return _templateModel is null ? RenderTranscript(safe) : RenderTemplate(_templateModel, safe);
    }

    internal string StripControlTokens(string text)
    {
        foreach (var control in _controlTokens)
        {
            if (text.Contains(control, StringComparison.Ordinal))
            {
                text = text.Replace(control, "", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static string[] ControlTokenTexts(LLamaWeights weights)
    {
        var vocab = weights.NativeHandle.Vocab;
        var texts = new HashSet<string>(StringComparer.Ordinal);
        for (var id = 0; id < vocab.Count; id++)
        {
            var token = (LLamaToken)id;
            if (token.IsControl(vocab) && vocab.LLamaTokenToString(token, isSpecialToken: true) is { Length: > 0 } text)
            {
                texts.Add(text);
            }
        }

        // Longest first, so a control token that contains another is removed whole.
        return [.. texts.OrderByDescending(t => t.Length)];
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
