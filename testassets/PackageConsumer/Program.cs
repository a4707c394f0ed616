// Enqueues MyLib.Jobs.Bark with the configuration the CLI would read (CARROT_CONFIG), waits for carrotd to run
// it, and prints the outcome: "TASK_ID succeeded RESULT". Exits 1 when the task did not succeed.
using Carrot.Client;
using Carrot.Configuration;
using Carrot.Tasks;

await using var client = await CarrotClient.CreateAsync(CarrotConfiguration.Load());
var queued = await client.EnqueueAsync("MyLib.Jobs.Bark", args: ["Rex"], kwargs: new { times = 2 });
var done = await client.WaitForCompletionAsync(queued.TaskId, TimeSpan.FromMinutes(1));
Console.WriteLine($"{done.Id} {done.State.ToName()} {done.Result ?? done.ErrorMessage}");
return done.State == TaskState.Succeeded ? 0 : 1;
