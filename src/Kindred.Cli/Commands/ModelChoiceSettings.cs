using System.ComponentModel;
using Kindred.Cli.Configuration;
using Spectre.Console.Cli;

namespace Kindred.Cli.Commands;

/// <summary>The options of a command that talks through a model: an embedded GGUF, or an OpenAI-compatible server.</summary>
public abstract class ModelChoiceSettings : CommonSettings
{
    [CommandOption("-m|--model <NAME_OR_PATH>")]
    [Description("A model from 'kindred model list', or the path of a GGUF file.")]
    public string? Model { get; init; }

    [CommandOption("--endpoint <URL>")]
    [Description("Use an OpenAI-compatible server instead of an embedded model, e.g. http://127.0.0.1:11434/v1.")]
    public string? Endpoint { get; init; }

    [CommandOption("--remote-model <NAME>")]
    [Description("The model name on that server, e.g. qwen2.5:1.5b.")]
    public string? RemoteModel { get; init; }

    protected override void Apply(KindredSettings settings)
    {
        // A model named on the command line wins over an endpoint from the config file.
        if (!string.IsNullOrWhiteSpace(Model))
        {
            settings.Model.ModelPath = Model;
            settings.Remote.Endpoint = "";
        }

        if (!string.IsNullOrWhiteSpace(Endpoint))
        {
            settings.Remote.Endpoint = Endpoint;
        }

        if (!string.IsNullOrWhiteSpace(RemoteModel))
        {
            settings.Remote.Model = RemoteModel;
        }
    }
}
