"""factory_boy factories for the test suite."""

import datetime

import factory
from django.contrib.auth.models import Group, User

from registry.models import Channel, Mandate, Platform, Unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@norsjo.example")
    password = factory.django.Password("norsjo-demo")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    slug = factory.Sequence(lambda n: f"forvaltning-{n}")

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        for user in extracted or ():
            self.managers.add(user)


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    platform = factory.LazyFunction(lambda: Platform.objects.get(slug="facebook"))
    name = factory.Sequence(lambda n: f"Kanal {n}")
    url = factory.Sequence(lambda n: f"https://facebook.com/norsjo.kanal{n}")
    handle = factory.Sequence(lambda n: f"norsjo.kanal{n}")
    unit = factory.SubFactory(UnitFactory)
    purpose = "Informera invånarna om verksamheten."
    audience = "Invånare i Norsjö."
    status = Channel.Status.ACTIVE
    created_by = factory.SubFactory(UserFactory)


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    employee = factory.SubFactory(UserFactory)
    channel = factory.SubFactory(ChannelFactory)
    role = Mandate.Role.WRITER
    scope = "Publicera nyheter och svara på frågor i kommentarerna."
    valid_from = factory.LazyFunction(datetime.date.today)
    valid_until = factory.LazyAttribute(lambda m: m.valid_from + datetime.timedelta(days=365))
    granted_by = factory.SubFactory(UserFactory)
