using Carrot.Configuration;
using Carrot.Errors;
using Carrot.Messaging;
using NUnit.Framework;

namespace Carrot.Tests.Unit.Messaging;

/// <summary>What a queue type means for the queue's arguments, for priorities, and for the line a mismatch gets.</summary>
[TestFixture]
public sealed class QueueTypeRulesTests
{
    [Test]
    public void QuorumQueues_AreQuorum_WithoutPriorityOrDeliveryLimit()
    {
        var worker = Topology.WorkerQueueArguments(BrokerQueueType.Quorum);
        var dead = Topology.DeadLetterQueueArguments(BrokerQueueType.Quorum);

        Assert.Multiple(() =>
        {
            Assert.That(worker["x-queue-type"], Is.EqualTo("quorum"));
            Assert.That(worker.Keys, Does.Not.Contain("x-max-priority").And.Not.Contain("x-delivery-limit"));
            Assert.That(worker["x-dead-letter-exchange"], Is.EqualTo(Topology.DeadLetterExchange));
            Assert.That(dead, Is.Not.Null);
            Assert.That(dead!["x-queue-type"], Is.EqualTo("quorum"));
        });
    }

    [Test]
    public void ClassicQueues_KeepTheirPriorities_AndNoQueueTypeArgument()
    {
        var worker = Topology.WorkerQueueArguments(BrokerQueueType.Classic);

        Assert.Multiple(() =>
        {
            Assert.That(worker["x-max-priority"], Is.EqualTo(9));
            Assert.That(worker.Keys, Does.Not.Contain("x-queue-type"));
            Assert.That(Topology.DeadLetterQueueArguments(BrokerQueueType.Classic), Is.Null);
        });
    }

    [TestCase(0, "classic")]
    [TestCase(9, "classic")]
    [TestCase(0, "quorum")]
    public void Priority_IsAccepted(int priority, string type) =>
        Assert.DoesNotThrow(() => PriorityRule.Check(priority, Parse(type)));

    [TestCase(1)]
    [TestCase(9)]
    public void Priority_AboveZero_IsRefusedOnQuorum_SayingWhatToDoInstead(int priority)
    {
        var e = Assert.Throws<CarrotInputException>(() => PriorityRule.Check(priority, BrokerQueueType.Quorum))!;

        Assert.That(e.Message, Does.StartWith($"Priority {priority} needs classic queues, and queueType is quorum").And.Contain("a worker of their own"));
    }

    [TestCase(-1, "classic")]
    [TestCase(10, "classic")]
    [TestCase(10, "quorum")]
    public void Priority_OutOfRange_IsRefused_WhateverTheQueueType(int priority, string type)
    {
        var e = Assert.Throws<CarrotInputException>(() => PriorityRule.Check(priority, Parse(type)))!;

        Assert.That(e.Message, Is.EqualTo($"Priority {priority} is out of range; use 0 (lowest, the default) to 9 (highest)."));
    }

    // What RabbitMQ 3.10 answers: a quorum declare meets a classic priority queue's x-max-priority first; a classic
    // declare meets a quorum queue's x-queue-type.
    [TestCase("quorum", "inequivalent arg 'x-max-priority' for queue 'carrot.default' in vhost 'prod': received none but current is the value '9' of type 'signedint'", "as a quorum queue: it exists as a classic queue (")]
    [TestCase("quorum", "inequivalent arg 'x-queue-type' for queue 'carrot.default' in vhost 'prod': received the value 'quorum' of type 'longstr' but current is none", "as a quorum queue: it exists as a classic queue (")]
    [TestCase("classic", "inequivalent arg 'x-queue-type' for queue 'carrot.default' in vhost 'prod': received none but current is the value 'quorum' of type 'longstr'", "as a classic queue: it exists as a quorum queue (")]
    [TestCase("classic", "inequivalent arg 'x-dead-letter-exchange' for queue 'carrot.default' in vhost 'prod': received 'carrot.dlx' but current is none", "as a classic queue: it exists with other arguments (")]
    public void Mismatch_SaysWhatTheQueueIs_AndHowToMoveIt_InOneLine(string wanted, string reply, string says)
    {
        var line = TopologyDeclarer.Mismatch("carrot.default", Parse(wanted), "prod", "PRECONDITION_FAILED - " + reply);

        Assert.Multiple(() =>
        {
            Assert.That(line, Does.StartWith("RabbitMQ refused to declare carrot.default " + says));
            Assert.That(line, Does.Contain("rabbitmqctl delete_queue -p prod carrot.dead"));
            Assert.That(line, Does.Contain($"Or set queueType back to {(wanted == "quorum" ? "classic" : "quorum")}."));
            Assert.That(line, Does.Not.Contain('\n'));
        });
    }

    private static BrokerQueueType Parse(string type) => QueueTypeSetting.TryParse(type, out var parsed) ? parsed : throw new ArgumentException(type);
}
