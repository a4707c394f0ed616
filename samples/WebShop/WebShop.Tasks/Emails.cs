using Carrot.Tasks;

namespace WebShop.Tasks;

/// <summary>Mail the shop sends in the background. Run by carrotd as WebShop.Tasks.Emails.NAME.</summary>
public static class Emails
{
    /// <summary>Pretends to send a welcome mail; a real one would call a mail service here, using the token.</summary>
    [CarrotTask(MaxRetries = 5, TimeoutSeconds = 30)]
    public static async Task<string> SendWelcome(string address, string? coupon = null, TaskContext? context = null)
    {
        context?.Log.LogInformation($"Sending the welcome mail to {address} (attempt {context.Attempt})");
        await Task.Delay(10, context?.CancellationToken ?? CancellationToken.None);
        return coupon is null ? $"Welcome mail sent to {address}" : $"Welcome mail sent to {address} with coupon {coupon}";
    }
}
