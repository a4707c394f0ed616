using System.Diagnostics;
using Carrot.Client;
using Carrot.Diagnostics.Telemetry;
using Carrot.Tasks;
using OpenTelemetry.Trace;
using WebShop.Tasks;

var builder = WebApplication.CreateBuilder(args);

// The keys of carrot.json under "Carrot" (appsettings.json); CARROT_DATABASE and CARROT_BROKER still override.
builder.Services.AddCarrot(builder.Configuration.GetSection("Carrot"));
builder.Services.AddHealthChecks().AddCarrotHealthChecks();

// Tracing on: the request's span and Carrot's enqueue span, printed by the console exporter (swap in AddOtlpExporter
// for a collector). carrotd continues the same trace in the task's process span.
builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
    .AddAspNetCoreInstrumentation()
    .AddSource(CarrotTelemetry.SourceName)
    .AddConsoleExporter());

var app = builder.Build();

// The request only records the task (a committed row and a confirmed message); carrotd sends the mail.
app.MapPost("/subscribe", async (string email, string? coupon, CarrotClient carrot, CancellationToken cancellationToken) =>
{
    var queued = await carrot.EnqueueAsync(() => Emails.SendWelcome(email, coupon), cancellationToken: cancellationToken);
    return Results.Accepted($"/tasks/{queued.TaskId}", new { taskId = queued.TaskId, published = queued.Published, traceId = Activity.Current?.TraceId.ToHexString() });
});

app.MapGet("/tasks/{id:long}", async (long id, CarrotClient carrot, CancellationToken cancellationToken) =>
    await carrot.GetTaskAsync(id, cancellationToken) is { } task
        ? Results.Ok(new { taskId = task.Id, state = task.State.ToName(), result = task.Result, error = task.ErrorMessage, traceParent = task.TraceParent })
        : Results.NotFound());

app.MapHealthChecks("/health");

app.Run();
