using Carrot.Client;
using Carrot.Tasks;
using WebShop.Tasks;

var builder = WebApplication.CreateBuilder(args);

// The keys of carrot.json under "Carrot" (appsettings.json); CARROT_DATABASE and CARROT_BROKER still override.
builder.Services.AddCarrot(builder.Configuration.GetSection("Carrot"));
builder.Services.AddHealthChecks().AddCarrotHealthChecks();

var app = builder.Build();

// The request only records the task (a committed row and a confirmed message); carrotd sends the mail.
app.MapPost("/subscribe", async (string email, string? coupon, CarrotClient carrot, CancellationToken cancellationToken) =>
{
    var queued = await carrot.EnqueueAsync(() => Emails.SendWelcome(email, coupon), cancellationToken: cancellationToken);
    return Results.Accepted($"/tasks/{queued.TaskId}", new { taskId = queued.TaskId, published = queued.Published });
});

app.MapGet("/tasks/{id:long}", async (long id, CarrotClient carrot, CancellationToken cancellationToken) =>
    await carrot.GetTaskAsync(id, cancellationToken) is { } task
        ? Results.Ok(new { taskId = task.Id, state = task.State.ToName(), result = task.Result, error = task.ErrorMessage })
        : Results.NotFound());

app.MapHealthChecks("/health");

app.Run();
