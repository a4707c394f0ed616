namespace Carrot.Soak;

/// <summary>Every few seconds, one fault at random: kill -9 carrotd, SIGTERM it, restart RabbitMQ's app, or kill -9 RabbitMQ.</summary>
internal static class Chaos
{
    public static async Task RunAsync(SoakDaemon daemon, SoakBroker broker, List<string> faults, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Random.Shared.Next(4000, 12000), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var fault = Random.Shared.Next(4);
            switch (fault)
            {
                case 0:
                    await daemon.KillAsync();
                    await Task.Delay(Random.Shared.Next(0, 3000), CancellationToken.None);
                    daemon.Start();
                    break;
                case 1:
                    await daemon.StopAsync();
                    daemon.Start();
                    break;
                case 2:
                    await broker.RestartAppAsync();
                    break;
                default:
                    await broker.KillAndStartAsync();
                    break;
            }

            var name = fault switch { 0 => "carrotd kill -9", 1 => "carrotd SIGTERM", 2 => "rabbitmq stop_app/start_app", _ => "rabbitmq kill -9" };
            faults.Add(name);
            Console.WriteLine($"{DateTime.Now:HH:mm:ss} fault: {name}");
        }
    }
}
