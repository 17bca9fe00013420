namespace Kindred.Models.Remote;

/// <summary>An OpenAI-compatible chat endpoint: Ollama, llama.cpp's server, vLLM, OpenAI.</summary>
public sealed class RemoteModelOptions
{
    /// <summary>Base URL of the API, e.g. http://127.0.0.1:11434/v1 (Ollama) or https://api.openai.com/v1. Required.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>The model name the server knows, e.g. "qwen2.5:1.5b". Required.</summary>
    public string Model { get; set; } = "";

    /// <summary>API key; local servers usually accept anything (default: none sent beyond a placeholder).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The model's context window in tokens, for prompt budgeting (default 8192, range 512–2000000).</summary>
    public int ContextLength { get; set; } = 8192;

    /// <summary>Checks the values; the message names the option.</summary>
    /// <exception cref="ArgumentException">A value is missing or out of range.</exception>
    public void Validate()
    {
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Endpoint must be an http or https URL such as http://127.0.0.1:11434/v1 (was '{Endpoint}').");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            throw new ArgumentException("Model is required with an endpoint: the model name the server serves, e.g. qwen2.5:1.5b.");
        }

        if (ContextLength is < 512 or > 2_000_000)
        {
            throw new ArgumentException($"ContextLength must be between 512 and 2000000 (was {ContextLength}).");
        }
    }
}
