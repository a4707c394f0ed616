using System.Text.Json.Serialization;
using Carrot.Cli.Output.Views;

namespace Carrot.Cli.Output;

/// <summary>Source-generated JSON metadata for everything --json writes.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(TaskView))]
[JsonSerializable(typeof(IReadOnlyList<TaskView>))]
[JsonSerializable(typeof(IReadOnlyList<WorkerView>))]
[JsonSerializable(typeof(WorkerView))]
[JsonSerializable(typeof(EnqueueView))]
[JsonSerializable(typeof(IReadOnlyList<EnqueueView>))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(IReadOnlyList<KallableView>))]
[JsonSerializable(typeof(ScheduleView))]
[JsonSerializable(typeof(IReadOnlyList<ScheduleView>))]
[JsonSerializable(typeof(TaskActionView))]
[JsonSerializable(typeof(DoctorView))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
