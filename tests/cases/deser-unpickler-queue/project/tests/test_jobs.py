from jobs.queue import decode_message, encode_message


def test_a_job_survives_the_queue():
    job = {"task": "resize", "args": [640, 480]}
    assert decode_message(encode_message(job)) == job
